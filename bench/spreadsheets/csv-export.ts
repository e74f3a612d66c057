/**
 * CSV export of 1,000,000 clients through the HTTP API of a real server process, on SQLite and
 * on PostgreSQL: GET /api/v1/clients with Accept: text/csv (delimiter=semicolon), read to the
 * end by a client that only counts bytes and records. Reports the duration, rows/s, MiB/s, the
 * server's resident memory before and during the export (VmRSS sampled every 100 ms) and its
 * peak since start (VmHWM), again after a second export (a peak that stays put: constant memory), and the time of the first pages of GET /api/v1/clients/duplicates
 * on the same data. Prints them and writes bench/results/csv-export.json.
 *
 *   npm run bench -- --suites spreadsheets, or after `npm run build`:
 *   npx tsx bench/spreadsheets/csv-export.ts [--clients 1000000] [--backends sqlite,postgres]
 *
 * PostgreSQL: BENCH_DATABASE_URL (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase, type Backend } from '../bench-database';
import { machineInfo } from '../machine';
import { sampleResources } from '../resource-sampler';
import { RESULTS_DIR } from '../results';
import { ROOT, seedDatabase } from '../seed-database';
import { startServer, type ServerProcess } from '../server-process';
import { API_KEY } from '../server-specs';
import { memoryMb, option } from './script-support';

interface ExportRun {
  backend: Backend;
  clients: number;
  seedSeconds: number;
  serverRssBeforeMb: number;
  exportSeconds: number;
  firstByteMs: number;
  rows: number;
  bytes: number;
  rowsPerSecond: number;
  mibPerSecond: number;
  /** Highest VmRSS sampled while the export ran, and the server's CPU over that time (% of a core). */
  serverRssDuringMaxMb: number;
  serverCpuPercent: number;
  /** VmHWM after the export: the peak since the server started. */
  serverPeakRssMb: number;
  /**
   * The same export once more on the same server: if memory grew with the rows read, this peak
   * would climb again; it stays put when the export runs in constant memory.
   */
  secondExportSeconds: number;
  serverPeakRssAfterSecondMb: number;
  /** GET /clients/duplicates?limit=20: the first page, then the next two (ms each), and the groups found. */
  duplicatesPageMs: number[];
  duplicateGroupsOnFirstPages: number;
}

/** Reads the export to the end, counting records by their CRLF (the seeded notes hold no line break). */
async function readExport(server: ServerProcess): Promise<{ seconds: number; firstByteMs: number; rows: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${server.baseUrl}/api/v1/clients?delimiter=semicolon`, {
    headers: { authorization: `Bearer ${API_KEY}`, accept: 'text/csv' },
  });
  if (!response.ok || !response.body) throw new Error(`export: ${response.status} ${await response.text()}`);
  let firstByteMs = -1;
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    if (firstByteMs < 0) firstByteMs = performance.now() - started;
    bytes += chunk.length;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines += 1;
  }
  return { seconds: (performance.now() - started) / 1000, firstByteMs: Math.round(firstByteMs), rows: lines - 1, bytes };
}

async function duplicatePages(server: ServerProcess): Promise<{ ms: number[]; groups: number }> {
  const ms: number[] = [];
  let groups = 0;
  let cursor: string | null = null;
  for (let page = 0; page < 3; page += 1) {
    const started = performance.now();
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await fetch(`${server.baseUrl}/api/v1/clients/duplicates?limit=20${query}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const body = (await response.json()) as { data: unknown[]; nextCursor: string | null };
    if (!response.ok) throw new Error(`duplicates: ${response.status} ${JSON.stringify(body)}`);
    ms.push(Math.round(performance.now() - started));
    groups += body.data.length;
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return { ms, groups };
}

async function runBackend(backend: Backend, clients: number, logDir: string): Promise<ExportRun> {
  const database = await createBenchDatabase(backend);
  try {
    process.stdout.write(`${backend}: seeding ${clients} clients...\n`);
    const seedSeconds = (await seedDatabase(database.env, clients, 0, 18)).seconds;
    await database.afterSeed();
    const server = await startServer({
      name: `csv-export-${backend}`,
      nodeArgs: [path.join(ROOT, 'dist/src/main.js')],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...database.env,
        NODE_ENV: 'production',
        API_KEYS: API_KEY,
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
      },
      logFile: path.join(logDir, `csv-export-${backend}.log`),
      core: null,
    });
    try {
      const serverRssBeforeMb = memoryMb(server.pid, 'VmRSS');
      const sampler = sampleResources(server.pid);
      const read = await readExport(server);
      const usage = sampler.stop();
      const serverPeakRssMb = memoryMb(server.pid, 'VmHWM');
      const second = await readExport(server);
      const duplicates = await duplicatePages(server);
      return {
        backend,
        clients,
        seedSeconds: Math.round(seedSeconds),
        serverRssBeforeMb,
        exportSeconds: Math.round(read.seconds * 100) / 100,
        firstByteMs: read.firstByteMs,
        rows: read.rows,
        bytes: read.bytes,
        rowsPerSecond: Math.round(read.rows / read.seconds),
        mibPerSecond: Math.round((read.bytes / 1024 ** 2 / read.seconds) * 10) / 10,
        serverRssDuringMaxMb: usage.rssMaxMb,
        serverCpuPercent: usage.cpuPercent,
        serverPeakRssMb,
        secondExportSeconds: Math.round(second.seconds * 100) / 100,
        serverPeakRssAfterSecondMb: memoryMb(server.pid, 'VmHWM'),
        duplicatesPageMs: duplicates.ms,
        duplicateGroupsOnFirstPages: duplicates.groups,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

function print(run: ExportRun): void {
  process.stdout.write(
    `${run.backend.padEnd(8)} ${run.rows} rows, ${(run.bytes / 1024 ** 2).toFixed(0)} MiB in ${run.exportSeconds} s ` +
      `(${run.rowsPerSecond} rows/s, ${run.mibPerSecond} MiB/s, first byte ${run.firstByteMs} ms); server RSS ${run.serverRssBeforeMb} MiB before, ` +
      `${run.serverRssDuringMaxMb} MiB at most during, peak ${run.serverPeakRssMb} MiB (${run.serverPeakRssAfterSecondMb} MiB after a second export, ` +
      `${run.secondExportSeconds} s); CPU ${run.serverCpuPercent}% of a core; ` +
      `duplicates pages ${run.duplicatesPageMs.join(', ')} ms (${run.duplicateGroupsOnFirstPages} groups)\n`,
  );
  if (run.rows !== run.clients) process.stdout.write(`  WARNING: ${run.rows} rows exported for ${run.clients} clients\n`);
}

export interface CsvExportBenchResult {
  date: string;
  clients: number;
  machine: ReturnType<typeof machineInfo>;
  runs: ExportRun[];
}

export const CSV_EXPORT_RESULTS = path.join(RESULTS_DIR, 'csv-export.json');

/** The export on each backend; the results go to bench/results/csv-export.json. */
export async function runCsvExportBench(backends: readonly Backend[], clients = 1_000_000): Promise<CsvExportBenchResult> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-csv-export-bench-'));
  const machine = machineInfo(false);
  const runs: ExportRun[] = [];
  for (const backend of backends) {
    const run = await runBackend(backend, clients, logDir);
    print(run);
    runs.push(run);
  }
  const result = { date: new Date().toISOString(), clients, machine, runs };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(CSV_EXPORT_RESULTS, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(`Written to ${path.relative(ROOT, CSV_EXPORT_RESULTS)}; server logs in ${logDir}\n`);
  return result;
}

if (require.main === module) {
  runCsvExportBench(option('backends', 'sqlite,postgres').split(',') as Backend[], Number(option('clients', '1000000'))).catch(
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
