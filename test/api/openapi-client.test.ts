import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { API_KEY, startApiHarness, type ApiHarness } from '../support/api-harness';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);

/*
 * A consumer's program, written against the types openapi-typescript generates from the served
 * document and nothing else: if the document makes it fail to compile or to run, so would it
 * for any consumer. It prints what it saw, as JSON, for the test to check.
 */
const PROGRAM = `
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const [baseUrl = '', apiKey = ''] = process.argv.slice(2);
const api = createClient<paths>({ baseUrl, headers: { Authorization: \`Bearer \${apiKey}\` } });
const seen: Record<string, unknown> = {};

const created = await api.POST('/api/v1/clients', { body: { name: 'Hélène Dupont', tags: ['vip'] } });
if (!created.data) throw new Error(\`create failed: \${JSON.stringify(created.error)}\`);
const id: string = created.data.id;
seen.created = { status: created.response.status, version: created.data.version, location: created.response.headers.get('Location') };

const got = await api.GET('/api/v1/clients/{id}', { params: { path: { id } } });
const etag = got.response.headers.get('ETag') ?? '';
seen.got = { name: got.data?.name, etag };

const listed = await api.GET('/api/v1/clients', { params: { query: { q: 'helene', limit: 10, sort: 'name' } } });
seen.listed = { ids: listed.data?.data.map((client) => client.id), nextCursor: listed.data?.nextCursor };

const patched = await api.PATCH('/api/v1/clients/{id}', {
  params: { path: { id }, header: { 'If-Match': etag } },
  body: { status: 'customer', email: null },
});
seen.patched = { status: patched.data?.status, version: patched.data?.version };

const stale = await api.PATCH('/api/v1/clients/{id}', { params: { path: { id }, header: { 'If-Match': etag } }, body: { notes: 'late' } });
seen.stale = { status: stale.response.status, code: stale.error?.code };

const exchange = await api.POST('/api/v1/clients/{id}/exchanges', { params: { path: { id } }, body: { kind: 'call', subject: 'Quote' } });
const timeline = await api.GET('/api/v1/clients/{id}/exchanges', { params: { path: { id } } });
seen.timeline = { created: exchange.data?.kind, kinds: timeline.data?.data.map((item) => item.kind) };

const current = \`"\${patched.data?.version}"\`;
const deleted = await api.DELETE('/api/v1/clients/{id}', { params: { path: { id }, header: { 'If-Match': current } } });
const gone = await api.GET('/api/v1/clients/{id}', { params: { path: { id } } });
seen.deleted = { status: deleted.response.status, after: gone.response.status, code: gone.error?.code };

const health = await api.GET('/health', { headers: { Authorization: null } });
seen.health = health.data?.status;

console.log(JSON.stringify(seen));

// Never called: proves the generated types are precise enough to refuse a wrong call.
export async function refusedByTheCompiler(): Promise<void> {
  // @ts-expect-error a misspelt field is not part of a new client
  await api.POST('/api/v1/clients', { body: { nmae: 'typo' } });
  // @ts-expect-error status is one of the pipeline stages
  await api.PATCH('/api/v1/clients/{id}', { params: { path: { id } }, body: { status: 'archived' } });
}
`;

describe('a typed client generated from the served OpenAPI document', () => {
  let api: ApiHarness;
  let folder: string;
  beforeAll(async () => {
    api = await startApiHarness('sqlite');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-openapi-client-'));
    // The consumer resolves openapi-fetch and @types/node like a project depending on them would.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('compiles without edits and drives the API: create, get, list, patch with If-Match, delete', async () => {
    const served = await api.raw().get('/openapi.json').expect(200);
    fs.writeFileSync(path.join(folder, 'openapi.json'), served.text);
    await run(bin('openapi-typescript'), ['openapi.json', '-o', 'schema.ts'], { cwd: folder, timeout: 60_000 });
    fs.writeFileSync(path.join(folder, 'client.mts'), PROGRAM);

    const compilerOptions = ['--strict', '--noEmitOnError', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext'];
    const types = ['--moduleResolution', 'nodenext', '--types', 'node', '--outDir', 'out'];
    await run(bin('tsc'), [...compilerOptions, ...types, 'client.mts'], { cwd: folder, timeout: 60_000 }).catch(
      (error: { stdout?: string }) => {
        throw new Error(`the generated client does not compile:\n${error.stdout ?? error}`);
      },
    );

    const { port } = api.server.address() as AddressInfo;
    const program = path.join(folder, 'out', 'client.mjs');
    const { stdout } = await run(process.execPath, [program, `http://127.0.0.1:${port}`, API_KEY], { timeout: 30_000 });
    const seen = JSON.parse(stdout);
    const id = seen.listed.ids[0];
    expect(seen).toEqual({
      created: { status: 201, version: 1, location: `/api/v1/clients/${id}` },
      got: { name: 'Hélène Dupont', etag: '"1"' },
      listed: { ids: [id], nextCursor: null },
      patched: { status: 'customer', version: 2 },
      stale: { status: 412, code: 'precondition_failed' },
      timeline: { created: 'call', kinds: ['call'] },
      deleted: { status: 204, after: 404, code: 'not_found' },
      health: 'ok',
    });
  }, 60_000);
});
