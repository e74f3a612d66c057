import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startApiHarness, type ApiHarness } from '../support/api-harness';

const run = promisify(execFile);
const REDOCLY = path.resolve(__dirname, '../../node_modules/.bin/redocly');

interface LintResult {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location?: Array<{ pointer?: string }> }>;
}

/**
 * `redocly lint` with its built-in recommended rules, run in an empty folder so that no
 * configuration or ignore file of this repository can soften them. No network: telemetry and
 * the update check are off.
 */
async function lint(document: unknown, folder: string): Promise<LintResult> {
  const file = path.join(folder, 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(document));
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  const args = ['lint', file, '--extends=recommended', '--format=json', '--max-problems=1000'];
  // The CLI exits 1 when it finds an error; its report is on stdout either way.
  const { stdout, stderr } = await run(REDOCLY, args, { cwd: folder, env, timeout: 60_000 }).catch(
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  // Anything printed around the report (a Node deprecation banner) is not part of it.
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`redocly printed no report:\n${stdout}\n${stderr}`);
  return JSON.parse(stdout.slice(start, stdout.lastIndexOf('}') + 1)) as LintResult;
}

const describeProblems = (result: LintResult) =>
  result.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`);

describe('the served OpenAPI document under redocly lint (recommended rules)', () => {
  let api: ApiHarness;
  let folder: string;
  beforeAll(async () => {
    api = await startApiHarness('sqlite');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-openapi-lint-'));
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('has no error and no warning', async () => {
    const served = (await api.raw().get('/openapi.json').expect(200)).body;
    const result = await lint(served, folder);
    expect(describeProblems(result)).toEqual([]);
    expect(result.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it('is checked by a run that does report a flawed copy', async () => {
    // Guards the test above against a run that reports nothing whatever it reads.
    const served = (await api.raw().get('/openapi.json').expect(200)).body;
    const flawed = structuredClone(served);
    delete flawed.paths['/health'].get.operationId;
    delete flawed.paths['/health'].get.security;
    const result = await lint(flawed, folder);
    expect(result.problems.map((p) => p.ruleId).sort()).toEqual(['operation-operationId', 'security-defined']);
    expect(result.totals).toMatchObject({ errors: 1, warnings: 1 });
  }, 60_000);
});
