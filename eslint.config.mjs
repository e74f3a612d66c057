import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layering (ports and adapters). src/db is the adapter side: it knows the drivers, Knex and the SQL.
// The rest reaches the database only through the ports declared in src/repositories (unit of work,
// repositories) and src/services (e.g. the health check's DatabaseProbe); src/app.ts, src/server.ts
// and the tools wire the adapters in. A relative import of any path with a `db` segment
// ('../db/x', '../../db/x', '../../src/db/x') counts as reaching into src/db.
const DB_MODULE = {
  regex: String.raw`^\.{1,2}/(.*/)?db(/.*)?$`,
  message:
    'src/db is an adapter: this layer reaches the database only through a port (an interface in src/repositories or src/services) that src/db implements and src/app.ts wires in.',
};
const DATABASE_DRIVERS = {
  regex: String.raw`^(knex|pg|pg-copy-streams|better-sqlite3)(/.*)?$`,
  message: 'Database drivers and Knex belong to src/db; this layer reaches the database only through a port that src/db implements.',
};
// no-restricted-imports sees import and export declarations; a type written as import('../db/x').T
// or a dynamic import() would slip past it, so those are caught by syntax.
const DB_SEGMENT = String.raw`/^\.{1,2}\/(.*\/)?db(\/.*)?$/`;
const DB_BY_EXPRESSION = [
  { selector: `ImportExpression[source.value=${DB_SEGMENT}]`, message: DB_MODULE.message },
  { selector: `TSImportType[argument.literal.value=${DB_SEGMENT}]`, message: DB_MODULE.message },
];
const HTTP_FRAMEWORK = {
  regex: String.raw`^(koa|@koa/router)(/.*)?$`,
  message: 'Koa belongs to src/http; the domain, the repository ports and the services do not know how requests arrive.',
};

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'error',
      // Line breaks are prettier's (npm run format:check in CI), and with semicolons on every
      // statement the ASI hazard this rule guards against cannot arise; prettier itself breaks
      // `api.raw()\n[method](...)` chains this way, so the two would disagree.
      'no-unexpected-multiline': 'off',
    },
  },
  {
    files: ['src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [DB_MODULE, DATABASE_DRIVERS] }],
      'no-restricted-syntax': ['error', ...DB_BY_EXPRESSION],
    },
  },
  {
    files: ['src/services/**/*.ts', 'src/domain/**/*.ts', 'src/repositories/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [DB_MODULE, DATABASE_DRIVERS, HTTP_FRAMEWORK] }],
      'no-restricted-syntax': ['error', ...DB_BY_EXPRESSION],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
