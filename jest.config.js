/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // A real PostgreSQL is started once for the whole run unless TEST_DATABASE_URL is given.
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  // Two cores on CI: two workers keep the suite fast without starving the database servers.
  maxWorkers: 2,
  testTimeout: 30000,
};
