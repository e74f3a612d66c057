import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../../src/app';
import type { Database } from '../../src/db/open-database';
import { createLogger } from '../../src/logging/create-logger';
import { createScratchDatabase, testConfig, type ScratchDatabase } from '../support/test-databases';

/*
 * Opens /docs in a real headless Chromium (Debian's `chromium`, driven by playwright-core; no
 * browser is ever downloaded) and reads the rendered page as a person would see it.
 * Without a browser the test skips and says so, except on CI (CI set), where .ci/run installs
 * one and a missing browser is a failure.
 */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
const onCi = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());
const browserMissing = !fs.existsSync(CHROMIUM_PATH);
const skip = browserMissing && !onCi;
const SKIP_REASON = `no browser at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
if (skip) {
  // eslint-disable-next-line no-console
  console.warn(`docs.browser.test.ts: SKIPPED, ${SKIP_REASON}`);
}

const OPERATIONS = [
  'List clients',
  'Create a client',
  'Get a client',
  'Update a client',
  'Delete a client',
  "List a client's exchanges",
  'Record an exchange',
  'List exchanges',
  'Get an exchange',
  'Update an exchange',
  'Delete an exchange',
  'Health check',
];
const TIMEOUT = 60_000;

const silent = createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'fr' } });

(skip ? describe.skip : describe)(`/docs in headless Chromium${skip ? ` (skipped: ${SKIP_REASON})` : ''}`, () => {
  let scratch: ScratchDatabase;
  let database: Database;
  let server: http.Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    if (browserMissing) throw new Error(`CI is set but there is ${SKIP_REASON}: .ci/run must install it`);
    scratch = await createScratchDatabase('sqlite');
    database = scratch.open();
    await database.migrator.up();
    server = http.createServer(createApp({ config: testConfig(), logger: silent, database }).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    await database?.close();
    await scratch?.drop();
  }, TIMEOUT);

  it(
    'renders every client and exchange operation, with nothing fetched from another origin',
    async () => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      const requested: string[] = [];
      const problems: string[] = [];
      page.on('request', (req) => requested.push(req.url()));
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        // Chromium reports a blocked resource or script as a console error naming the policy.
        if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) {
          problems.push(`console ${message.type()}: ${message.text()}`);
        }
      });

      try {
        const response = await page.goto(`${origin}/docs`, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        expect(await page.title()).toBe('CRM API reference');

        // Redoc writes one heading per operation once it has fetched and parsed /openapi.json.
        await page.locator('h2', { hasText: 'Record an exchange' }).first().waitFor({ timeout: 30_000 });
        await page.waitForLoadState('networkidle');

        const text = await page.locator('body').innerText();
        for (const summary of OPERATIONS) expect(text).toContain(summary);
        expect(text).toContain('/api/v1/clients/{id}/exchanges');

        if (process.env.DOCS_SCREENSHOT) await page.screenshot({ path: process.env.DOCS_SCREENSHOT });

        expect(problems).toEqual([]);
        expect(requested).toEqual(expect.arrayContaining([`${origin}/docs`, `${origin}/openapi.json`]));
        const elsewhere = requested.filter((url) => !isSameOrigin(url, origin));
        expect(elsewhere).toEqual([]);
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );
});

/** data: URLs carry their bytes; blob: URLs belong to the origin that made them. */
function isSameOrigin(url: string, origin: string): boolean {
  if (url.startsWith('data:')) return true;
  const inner = url.startsWith('blob:') ? url.slice('blob:'.length) : url;
  try {
    return new URL(inner).origin === origin;
  } catch {
    return false;
  }
}
