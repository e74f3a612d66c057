/**
 * CSV import speed: a 100,000-row sheet uploaded and committed through the HTTP API of a real
 * server process, on SQLite and on PostgreSQL, twice per backend: as French Excel saves it
 * (Windows-1252, `;`, no BOM) into an empty database, then as "CSV UTF-8" (BOM, `,`) on top of
 * the first 100,000 clients. Reports each step's duration, rows/s and the server's peak RSS
 * (VmHWM), prints them and writes bench/results/csv-import.json.
 *
 *   npm run bench -- --suites spreadsheets, or after `npm run build`:
 *   npx tsx bench/spreadsheets/csv-import.ts [--rows 100000] [--backends sqlite,postgres]
 *
 * PostgreSQL: BENCH_DATABASE_URL (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase, type Backend } from '../bench-database';
import { machineInfo } from '../machine';
import { RESULTS_DIR } from '../results';
import { ROOT } from '../seed-database';
import { startServer, type ServerProcess } from '../server-process';
import { API_KEY } from '../server-specs';
import { memoryMb, option } from './script-support';
import { clientSheet, type SheetFlavour } from './csv-sheet';

const SHEETS: readonly SheetFlavour[] = ['excel-windows-1252', 'utf-8-bom'];
const TARGET_SECONDS = 60;

interface SheetResult {
  flavour: SheetFlavour;
  bytes: number;
  rows: number;
  existingClients: number;
  uploadSeconds: number;
  commitSeconds: number;
  commitRowsPerSecond: number;
  created: number;
  skipped: number;
  failed: number;
  /** The server's peak resident memory since it started, after this sheet (VmHWM). */
  serverPeakRssMb: number;
}

export interface CsvImportBenchResult {
  date: string;
  rows: number;
  targetSeconds: number;
  machine: ReturnType<typeof machineInfo>;
  runs: BackendRun[];
}

interface BackendRun {
  backend: Backend;
  serverRssAtStartMb: number;
  sheets: SheetResult[];
}

async function api(server: ServerProcess, method: string, route: string, body?: Buffer | object): Promise<Record<string, unknown>> {
  const isCsv = Buffer.isBuffer(body);
  const response = await fetch(`${server.baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': isCsv ? 'text/csv' : 'application/json' },
    body: body === undefined ? undefined : isCsv ? body : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function runBackend(backend: Backend, rows: number, logDir: string): Promise<BackendRun> {
  const database = await createBenchDatabase(backend);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...database.env };
  const server = await startServer({
    name: `csv-import-${backend}`,
    // The build, as the other benches serve it; production mode, so no scope tracking.
    nodeArgs: [path.join(ROOT, 'dist/src/main.js')],
    env: { ...env, NODE_ENV: 'production', API_KEYS: API_KEY, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', MIGRATE_ON_START: 'true' },
    logFile: path.join(logDir, `csv-import-${backend}.log`),
    core: null,
  });
  const run: BackendRun = { backend, serverRssAtStartMb: memoryMb(server.pid, 'VmRSS'), sheets: [] };
  try {
    let existing = 0;
    for (const flavour of SHEETS) {
      const file = clientSheet(rows, flavour, `${flavour}-${backend}`);
      let started = performance.now();
      const job = await api(server, 'POST', '/api/v1/imports', file);
      const uploadSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      const result = await api(server, 'POST', `/api/v1/imports/${String(job.id)}/commit`, { onDuplicate: 'skip' });
      const commitSeconds = (performance.now() - started) / 1000;
      const sheet: SheetResult = {
        flavour,
        bytes: file.length,
        rows: Number(job.rows),
        existingClients: existing,
        uploadSeconds: round(uploadSeconds),
        commitSeconds: round(commitSeconds),
        commitRowsPerSecond: Math.round(Number(job.rows) / commitSeconds),
        created: Number(result.created),
        skipped: Number(result.skipped),
        failed: Number(result.failed),
        serverPeakRssMb: memoryMb(server.pid, 'VmHWM'),
      };
      run.sheets.push(sheet);
      existing += sheet.created;
      print(backend, sheet);
    }
  } finally {
    await server.stop();
    await database.drop();
  }
  return run;
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}

function print(backend: Backend, sheet: SheetResult): void {
  const verdict = sheet.uploadSeconds + sheet.commitSeconds < TARGET_SECONDS ? 'under' : 'OVER';
  process.stdout.write(
    `${backend.padEnd(8)} ${sheet.flavour.padEnd(18)} ${(sheet.bytes / 1024 ** 2).toFixed(1)} MiB, ${sheet.rows} rows on ${sheet.existingClients} clients: ` +
      `upload ${sheet.uploadSeconds} s, commit ${sheet.commitSeconds} s (${sheet.commitRowsPerSecond} rows/s; ` +
      `created ${sheet.created}, skipped ${sheet.skipped}, failed ${sheet.failed}), server peak RSS ${sheet.serverPeakRssMb} MiB; ${verdict} ${TARGET_SECONDS} s\n`,
  );
}

export const CSV_IMPORT_RESULTS = path.join(RESULTS_DIR, 'csv-import.json');

/** Both sheets on each backend; the results go to bench/results/csv-import.json. */
export async function runCsvImportBench(backends: readonly Backend[], rows = 100_000): Promise<CsvImportBenchResult> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-csv-bench-'));
  const runs: BackendRun[] = [];
  for (const backend of backends) runs.push(await runBackend(backend, rows, logDir));
  const result = { date: new Date().toISOString(), rows, targetSeconds: TARGET_SECONDS, machine: machineInfo(false), runs };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(CSV_IMPORT_RESULTS, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(`Written to ${path.relative(ROOT, CSV_IMPORT_RESULTS)}; server logs in ${logDir}\n`);
  return result;
}

if (require.main === module) {
  runCsvImportBench(option('backends', 'sqlite,postgres').split(',') as Backend[], Number(option('rows', '100000'))).catch(
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
