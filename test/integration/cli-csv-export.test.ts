import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, testBackends, type ScratchDatabase } from '../support/test-databases';

const CRM = 'src/cli/crm.ts';
const HEADER = ['id', 'name', 'email', 'phone', 'company', 'status', 'tags', 'notes', 'createdAt', 'updatedAt'];

describe.each(testBackends())('crm export --csv on %s', (backend) => {
  let scratch: ScratchDatabase;
  let dir: string;

  beforeAll(async () => {
    scratch = await createScratchDatabase(backend);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-csv-'));
    const seeded = spawnEntry(CRM, ['seed', '--clients', '30', '--exchanges', '0', '--seed', 'csv-cli'], scratch.env);
    expect(await seeded.exited).toBe(0);
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await scratch.drop();
  });

  it('writes the clients with the API export columns to --out, newest first, with semicolons on request', async () => {
    const file = path.join(dir, 'clients.csv');
    const exported = spawnEntry(CRM, ['export', '--csv', '--delimiter', 'semicolon', '--out', file], scratch.env);
    expect(await exported.exited).toBe(0);
    expect(exported.output()).toMatch(/Exported 30 clients as CSV \(semicolon\) from /);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith(`\ufeff${HEADER.join(';')}\r\n`)).toBe(true);
    const [header, ...rows] = parse(text, { bom: true, delimiter: ';' }) as string[][];
    expect(header).toEqual(HEADER);
    expect(rows).toHaveLength(30);
    const created = rows.map((row) => row[8]!);
    expect(created).toEqual([...created].sort().reverse());
    expect(new Set(rows.map((row) => row[0])).size).toBe(30);
    // Only the finished file is left: no partial beside it.
    expect(fs.readdirSync(dir)).toEqual(['clients.csv']);
  });

  it('writes to standard output without --out, commas by default, the report on stderr', async () => {
    const exported = spawnEntry(CRM, ['export', '--csv'], scratch.env);
    const stdout: Buffer[] = [];
    exported.child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    expect(await exported.exited).toBe(0);
    const text = Buffer.concat(stdout).toString('utf8');
    expect(text.startsWith(`\ufeff${HEADER.join(',')}\r\n`)).toBe(true);
    expect(parse(text, { bom: true })).toHaveLength(31);
    expect(text).not.toContain('Exported');
  });

  it('refuses a delimiter it does not know, or one without --csv, with the usage exit code 2', async () => {
    const tab = spawnEntry(CRM, ['export', '--csv', '--delimiter', 'tab'], scratch.env);
    expect(await tab.exited).toBe(2);
    expect(tab.output()).toMatch(/--delimiter must be comma or semicolon/);
    const alone = spawnEntry(CRM, ['export', '--delimiter', 'semicolon'], scratch.env);
    expect(await alone.exited).toBe(2);
    expect(alone.output()).toMatch(/--delimiter goes with --csv/);
  });
});
