import Koa from 'koa';
import type { Response } from 'superagent';
import request from 'supertest';
import { createApp } from '../../src/app';
import { DOCS_ASSET_PATH, createDocsRouter } from '../../src/http/docs.router';
import { requestBoundary } from '../../src/http/middleware/request-boundary';
import { answerUnmatchedRoutes } from '../../src/http/middleware/route-fallback';
import { createLogger } from '../../src/logging/create-logger';
import { testConfig, useMigratedScratchDatabase } from '../support/test-databases';

const silent = createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'fr' } });

/** The router alone, behind the app's own error handling and 404/405 answers. */
function docsOnlyApp() {
  const router = answerUnmatchedRoutes(createDocsRouter());
  const app = new Koa();
  app.silent = true;
  app.use(requestBoundary(silent));
  app.use(router.routes());
  return app.callback();
}

/** The script URLs of a page, in order. */
const scriptSources = (html: string): string[] => [...html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1] ?? '');

/** Makes supertest hand back the raw bytes of a body whatever its type. */
const asBuffer = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream; // in Node, superagent hands over the message
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('GET /docs', () => {
  const app = docsOnlyApp();

  it('serves the HTML reference page', async () => {
    const res = await request(app).get('/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.text).toContain('<title>CRM API reference</title>');
    expect(res.text).toContain('spec-url="/openapi.json"');
  });

  it('loads only same-origin scripts, and no inline script', async () => {
    const res = await request(app).get('/docs').expect(200);
    const sources = scriptSources(res.text);
    expect(sources).toHaveLength(1);
    for (const src of sources) {
      expect(src).toMatch(/^\/(?!\/)/); // a path on this origin: not http(s)://, not //host
      expect(src).not.toMatch(/^(https?:)?\/\//i);
    }
    expect(sources[0]).toMatch(new RegExp(`^${DOCS_ASSET_PATH.replace(/\./g, '\\.')}\\?v=[0-9a-f]{16}$`));
    // Every <script> has a src: inline code would need 'unsafe-inline' in the policy.
    expect(res.text.match(/<script\b/gi)).toHaveLength(sources.length);
    expect(res.text).not.toMatch(/\b(href|src)\s*=\s*["'](https?:)?\/\//i);
  });

  it('runs under a same-origin Content-Security-Policy', async () => {
    const res = await request(app).get('/docs').expect(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|unsafe-eval/);
    expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline');
    expect(res.headers['cache-control']).toBe('no-cache');
    // A document, unlike the API's JSON: links followed from it send no Referer.
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('answers HEAD, and 405 with Allow for another method', async () => {
    await request(app).head('/docs').expect(200);
    const res = await request(app).post('/docs').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('method_not_allowed');
  });
});

describe(`GET ${DOCS_ASSET_PATH}`, () => {
  const app = docsOnlyApp();
  const assetUrl = async () => scriptSources((await request(app).get('/docs')).text)[0] ?? '';

  it('serves the renderer bundle as long-cached JavaScript', async () => {
    const res = await request(app)
      .get(await assetUrl())
      .set('Accept-Encoding', 'identity')
      .buffer(true)
      .parse(asBuffer)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript; charset=utf-8$/);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    const body = res.body as Buffer;
    expect(body.length).toBeGreaterThan(500_000);
    expect(Number(res.headers['content-length'])).toBe(body.length);
    expect(body.toString('utf8')).toContain('Redoc');
  });

  it('serves the same bytes gzipped to clients that accept it', async () => {
    const url = await assetUrl();
    const plain = await request(app).get(url).set('Accept-Encoding', 'identity').buffer(true).parse(asBuffer);
    const gz = await request(app).get(url).set('Accept-Encoding', 'gzip, deflate, br').buffer(true).parse(asBuffer).expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    // supertest inflates the body; the header still tells the size on the wire.
    expect(Number(gz.headers['content-length'])).toBeLessThan((plain.body as Buffer).length / 2);
    expect((gz.body as Buffer).equals(plain.body as Buffer)).toBe(true);
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
  });

  it('answers a revalidation with 304', async () => {
    const url = await assetUrl();
    const first = await request(app).get(url).set('Accept-Encoding', 'gzip');
    const again = await request(app)
      .get(url)
      .set('Accept-Encoding', 'gzip')
      .set('If-None-Match', first.headers.etag as string);
    expect(again.status).toBe(304);
  });

  it('answers another method with 405', async () => {
    const res = await request(app).delete(DOCS_ASSET_PATH).expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});

describe('/docs in the application', () => {
  const db = useMigratedScratchDatabase('sqlite', 'all');

  it('is public, like the document it renders, while the API wants a key', async () => {
    const config = testConfig({ API_KEYS: 'docs-test-key-0123456789abcdef0123456789' });
    const app = createApp({ config, logger: silent, database: db.database }).callback();
    await request(app).get('/api/v1/clients').expect(401);
    const page = await request(app).get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    await request(app)
      .get(scriptSources(page.text)[0] ?? '')
      .expect(200);
    await request(app).get('/openapi.json').expect(200);
  });
});
