import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import { gitCommit, say } from './bench-backend';
import { createBenchDatabase, type Backend } from './bench-database';
import { drive, type LoadSettings } from './load';
import { canPin, currentLoad, machineInfo, pinSelf, type MachineInfo } from './machine';
import { PostgresObserver, type DatabaseUsage } from './postgres-observer';
import { sampleResources, type ResourceUsage } from './resource-sampler';
import { RESULTS_DIR } from './results';
import { SCENARIOS } from './scenarios';
import { ROOT, seedDatabase } from './seed-database';
import { startServer, type ServerProcess } from './server-process';
import { API_KEY, serverSpec } from './server-specs';
import { percentileOfSorted, SampleBuffer } from './stats';

/**
 * `npm run bench:backup -- [options]`: the API's latency under the S6 mix without a backup, then
 * while the server takes its scheduled backup, on a seeded database (1,000,000 clients by
 * default). Stores bench/results/backup-under-load.json and regenerates docs/benchmarks-backup.md.
 */

const SEED = 42;
const DOCUMENTED = { clients: 1_000_000, exchanges: 5_000_000, connections: 32, warmupSeconds: 5, durationSeconds: 15 };
/** Long enough that only the first backup (30 s after start-up, the schedule's own delay) falls in the run. */
const BACKUP_INTERVAL = '1h';
/** Load is applied in slices of this length; the backup's end is noticed between slices. */
const SLICE_SECONDS = 5;
/** A backup still running after this long fails the measurement. */
const BACKUP_TIMEOUT_MS = 30 * 60_000;
const POLL_MS = 200;
const RESULT_FILE = path.join(RESULTS_DIR, 'backup-under-load.json');
const DOC = path.join(ROOT, 'docs/benchmarks-backup.md');

const USAGE = `usage: npm run bench:backup -- [--backend sqlite|postgres|both] [--clients 1000000] [--exchanges 5x clients]
  [--connections 32] [--warmup 5] [--duration 15] [--keep] [--report-only]`;

interface Options {
  backends: Backend[];
  clients: number;
  exchanges: number;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  keep: boolean;
  reportOnly: boolean;
}

/** The API seen over one stretch of time. */
interface WindowFigures extends Partial<ResourceUsage>, Partial<DatabaseUsage> {
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  maxLatency: number;
  /** Connection errors, timeouts and non-2xx answers over the slices that overlap the window. */
  failures: number;
}

interface BackupFigures {
  kind: 'sqlite' | 'export';
  durationMs: number;
  bytes: number;
  file: string;
}

interface BackendBackupResult {
  backend: Backend;
  clients: number;
  exchanges: number;
  seeder: string;
  seedSeconds: number;
  date: string;
  gitCommit: string;
  builtAt: string;
  machine: MachineInfo;
  loadBefore: [number, number, number];
  settings: { connections: number; warmupSeconds: number; durationSeconds: number; backupInterval: string; sliceSeconds: number };
  backup: BackupFigures;
  without: WindowFigures;
  during: WindowFigures;
  after: WindowFigures;
  /** p99 during the backup over p99 without it; the target is below 2. */
  p99Ratio: number;
  pass: boolean;
}

type ResultFile = Partial<Record<Backend, BackendBackupResult>>;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options.reportOnly) {
    if (!fs.existsSync(path.join(ROOT, 'dist/src/main.js')))
      throw new Error('no build: run `npm run build` first (npm run bench:backup does)');
    const documented =
      options.clients === DOCUMENTED.clients &&
      options.exchanges === DOCUMENTED.exchanges &&
      options.connections === DOCUMENTED.connections &&
      options.warmupSeconds === DOCUMENTED.warmupSeconds &&
      options.durationSeconds === DOCUMENTED.durationSeconds;
    // An experiment (fewer clients, other timings) does not replace the documented figures.
    const file = documented ? RESULT_FILE : path.join(os.tmpdir(), 'crm-backup-under-load-custom.json');
    for (const backend of options.backends) {
      const result = await measureBackend(backend, options);
      const stored = readResults(file);
      stored[backend] = result;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(stored, null, 2) + '\n');
      say(`\n${backend}: backup ${(result.backup.durationMs / 1000).toFixed(1)} s (${mb(result.backup.bytes)} MiB)`);
      for (const [label, figures] of [
        ['without', result.without],
        ['during', result.during],
        ['after', result.after],
      ] as const)
        say(`   ${label.padEnd(8)} ${windowLine(figures)}`);
      say(
        `   p99 during / without: ${result.p99Ratio.toFixed(2)} ${result.pass ? '(under 2: meets the target)' : '(2 or more: MISSES the target)'}`,
      );
      say(`   results in ${path.relative(ROOT, file)}`);
    }
    if (!documented) return;
  }
  fs.writeFileSync(DOC, renderReport(readResults(RESULT_FILE)));
  say(`\nreport: ${path.relative(ROOT, DOC)}`);
}

async function measureBackend(backend: Backend, options: Options): Promise<BackendBackupResult> {
  const { clients, exchanges } = options;
  const commit = gitCommit();
  const builtAt = fs.statSync(path.join(ROOT, 'dist/src/main.js')).mtime.toISOString();
  const db = await createBenchDatabase(backend);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `crm-bench-backup-${backend}-`));
  const backupDir = path.join(workDir, 'backups');
  let server: ServerProcess | undefined;
  let observer: PostgresObserver | undefined;
  let unpin: (() => void) | undefined;
  try {
    say(`\n== ${backend}: seeding ${clients} clients / ${exchanges} exchanges into ${db.label}`);
    const seed = await seedDatabase(db.env, clients, exchanges, SEED);
    await db.afterSeed();
    say(`   seeded in ${seed.seconds.toFixed(1)} s`);
    const ids = await db.readClientIds();
    const pinned = canPin();
    const machine = machineInfo(pinned);
    if (pinned) pinSelf(1);
    if (backend === 'postgres') {
      observer = await PostgresObserver.open(db.env.DATABASE_URL as string);
      if (pinned) unpin = observer.pin(0);
    }
    const loadBefore = currentLoad();
    const spec = serverSpec({
      backend,
      side: 'app',
      synchronous: 'FULL',
      dbEnv: db.env,
      logLevel: 'info',
      logDir: workDir,
      core: pinned ? 0 : null,
    });
    // The schedule as an operator sets it; BACKUP_DIR keeps the PostgreSQL export out of the repository's data/.
    spec.env = { ...spec.env, BACKUP_INTERVAL, BACKUP_DIR: backupDir };
    server = await startServer(spec);
    const firstBackupAt = await nextBackupAt(server.baseUrl);
    const settings: LoadSettings = {
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      apiKey: API_KEY,
    };
    const needed = (options.warmupSeconds + options.durationSeconds + 1) * 1000;
    if (firstBackupAt - Date.now() < needed)
      throw new Error(
        `the first backup starts in ${Math.round((firstBackupAt - Date.now()) / 1000)} s: too soon for the warm-up and the window without a backup`,
      );
    say(`   server up; first backup due in ${((firstBackupAt - Date.now()) / 1000).toFixed(1)} s; load average ${loadBefore.join(' ')}`);
    const s6 = SCENARIOS.find((scenario) => scenario.id === 'S6');
    if (!s6) throw new Error('scenario S6 is missing');
    const nextRequest = s6.requests(ids, randomBytes(3).toString('hex'));
    const samples = new TimedSamples();
    const failures: Array<{ from: number; to: number; count: number }> = [];
    const { baseUrl } = server;
    const load = async (seconds: number) => {
      const from = Date.now();
      const result = await drive(baseUrl, nextRequest, settings, seconds, samples);
      failures.push({ from, to: Date.now(), count: result.errors + result.timeouts + result.non2xx });
    };

    await drive(baseUrl, nextRequest, settings, options.warmupSeconds, null);
    const withoutFrom = Date.now();
    const withoutUsage = usageSampler(server.pid, observer);
    for (let left = options.durationSeconds; left > 0; left -= SLICE_SECONDS) await load(Math.min(SLICE_SECONDS, left));
    const withoutTo = Date.now();
    const withoutResources = await withoutUsage.stop();
    if (withoutTo > firstBackupAt) throw new Error('the backup started before the window without one ended');

    // Load until the backup is done; its own usage is sampled from its first file to last-backup.json.
    const watcher = watchBackup(backupDir, server.pid, observer);
    while (!watcher.done()) {
      if (Date.now() - firstBackupAt > BACKUP_TIMEOUT_MS) throw new Error('the backup did not finish within 30 minutes');
      await load(SLICE_SECONDS);
    }
    const duringResources = await watcher.stop();
    const afterFrom = Date.now();
    const afterUsage = usageSampler(server.pid, observer);
    for (let left = options.durationSeconds; left > 0; left -= SLICE_SECONDS) await load(Math.min(SLICE_SECONDS, left));
    const afterTo = Date.now();
    const afterResources = await afterUsage.stop();
    await server.stop();
    server = undefined;

    const backup = await backupFromLog(spec.logFile, backend === 'sqlite' ? 'sqlite' : 'export');
    const backupFrom = backup.finishedAt - backup.figures.durationMs;
    const window = (from: number, to: number, resources: Partial<ResourceUsage & DatabaseUsage>): WindowFigures => ({
      ...samples.window(from, to),
      failures: failures.filter((slice) => slice.to > from && slice.from < to).reduce((total, slice) => total + slice.count, 0),
      ...resources,
    });
    const without = window(withoutFrom, withoutTo, withoutResources);
    const during = window(backupFrom, backup.finishedAt, duringResources);
    const after = window(afterFrom, afterTo, afterResources);
    const p99Ratio = Math.round((during.p99 / without.p99) * 100) / 100;
    if (options.keep) say(`   server log and backup kept in ${workDir}`);
    return {
      backend,
      clients,
      exchanges,
      seeder: seed.seeder,
      seedSeconds: Math.round(seed.seconds * 10) / 10,
      date: new Date().toISOString(),
      gitCommit: commit,
      builtAt,
      machine,
      loadBefore,
      settings: {
        connections: options.connections,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
        backupInterval: BACKUP_INTERVAL,
        sliceSeconds: SLICE_SECONDS,
      },
      backup: backup.figures,
      without,
      during,
      after,
      p99Ratio,
      pass: p99Ratio < 2 && without.failures + during.failures + after.failures === 0,
    };
  } finally {
    await server?.stop();
    unpin?.();
    await observer?.close();
    if (options.keep) say(`   kept ${db.label}`);
    else {
      await db.drop();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
}

/** Latencies with the wall-clock time each answer arrived, so any stretch of the run can be cut out. */
class TimedSamples extends SampleBuffer {
  private readonly at = new SampleBuffer();

  override push(value: number): void {
    super.push(value);
    this.at.push(Date.now());
  }

  window(from: number, to: number): Omit<WindowFigures, 'failures'> {
    const values = this.values();
    const at = this.at.values();
    const inside: number[] = [];
    for (let i = 0; i < values.length; i++) if ((at[i] as number) >= from && (at[i] as number) <= to) inside.push(values[i] as number);
    const sorted = Float64Array.from(inside).sort();
    const seconds = (to - from) / 1000;
    return {
      seconds: Math.round(seconds * 10) / 10,
      requests: sorted.length,
      rps: Math.round((sorted.length / seconds) * 10) / 10,
      p50: round3(percentileOfSorted(sorted, 50)),
      p99: round3(percentileOfSorted(sorted, 99)),
      maxLatency: round3(sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN),
    };
  }
}

/** The server's CPU and RSS, and PostgreSQL's CPU, from now until stop(). */
function usageSampler(pid: number, observer: PostgresObserver | undefined): { stop(): Promise<ResourceUsage & Partial<DatabaseUsage>> } {
  const server = sampleResources(pid);
  const database = observer?.sample();
  return {
    async stop() {
      const usage = server.stop();
      const db = await database?.stop();
      return { ...usage, ...(db && { dbCpuPercent: db.dbCpuPercent }) };
    },
  };
}

/**
 * Polls the backup folder: the backup has started when its first (partial) file appears, and is
 * over when last-backup.json is written. Resources are sampled between the two.
 */
function watchBackup(dir: string, pid: number, observer: PostgresObserver | undefined) {
  let sampler: ReturnType<typeof usageSampler> | undefined;
  let finished = false;
  let usage: Promise<ResourceUsage & Partial<DatabaseUsage>> | undefined;
  const timer = setInterval(() => {
    const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    if (!sampler && names.length > 0) sampler = usageSampler(pid, observer);
    if (names.includes('last-backup.json')) {
      finished = true;
      usage = sampler?.stop();
      clearInterval(timer);
    }
  }, POLL_MS);
  return {
    done: () => finished,
    async stop(): Promise<Partial<ResourceUsage & DatabaseUsage>> {
      clearInterval(timer);
      return (await usage) ?? {};
    },
  };
}

async function nextBackupAt(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/health`);
  const health = (await response.json()) as { backup?: { nextAt?: string | null } | null };
  const nextAt = health.backup?.nextAt;
  if (!nextAt) throw new Error(`/health shows no scheduled backup: ${JSON.stringify(health.backup ?? null)}`);
  return new Date(nextAt).getTime();
}

/** The schedule's own account of the backup: the "backup made" line (time, duration, size). */
async function backupFromLog(logFile: string, kind: BackupFigures['kind']): Promise<{ figures: BackupFigures; finishedAt: number }> {
  const lines = readline.createInterface({ input: fs.createReadStream(logFile), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.includes('"msg":"backup')) continue;
    const entry = JSON.parse(line) as { msg: string; time: number; durationMs?: number; bytes?: number; file?: string; error?: string };
    if (entry.msg === 'backup failed') throw new Error(`the backup failed: ${entry.error ?? line}`);
    if (entry.msg === 'backup made' && entry.durationMs !== undefined && entry.bytes !== undefined && entry.file) {
      const file = path.basename(entry.file);
      return {
        figures: { kind, durationMs: entry.durationMs, bytes: entry.bytes, file },
        finishedAt: entry.time,
      };
    }
  }
  throw new Error(`no "backup made" line in ${logFile}`);
}

function readResults(file: string): ResultFile {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ResultFile) : {};
}

function renderReport(results: ResultFile): string {
  const measured = (['sqlite', 'postgres'] as const).flatMap((backend) => (results[backend] ? [results[backend]] : []));
  const first = measured[0];
  if (!first) throw new Error(`no results in ${path.relative(ROOT, RESULT_FILE)}`);
  const name = (backend: Backend) => (backend === 'sqlite' ? 'SQLite' : 'PostgreSQL');
  const out: string[] = [];
  out.push('# Backups under load', '');
  out.push(
    '<!-- Generated by `npm run bench:backup` from bench/results/backup-under-load.json: edit bench/backup-under-load.ts, not this file. -->',
    '',
  );
  out.push(
    'What a scheduled backup costs the API: its p99 under the S6 mix of [docs/benchmarks.md](benchmarks.md) without a',
    'backup, then while the server backs up a database of 1,000,000 clients. Target: p99 during the backup under twice',
    'p99 without it.',
    '',
  );
  out.push('## Verdict', '');
  out.push('| backend | backup | size | p99 without | p99 during | ratio | p99 after | req/s without | req/s during | verdict |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of measured)
    out.push(
      `| ${name(r.backend)} | ${(r.backup.durationMs / 1000).toFixed(1)} s | ${mb(r.backup.bytes)} MiB | ${ms(r.without.p99)} ms | ${ms(r.during.p99)} ms | ${r.p99Ratio.toFixed(2)} | ${ms(r.after.p99)} ms | ${r.without.rps.toFixed(0)} | ${r.during.rps.toFixed(0)} | ${r.pass ? 'meets the target' : '**misses the target**'} |`,
    );
  out.push(
    '',
    'The ratio is p99 during the backup over p99 in the window before it. "p99 after" is the same mix in the window',
    'right after the backup: a second reference, measured once the backup has read the whole database.',
    '',
  );
  out.push('## Figures', '');
  for (const r of measured) {
    out.push(`### ${name(r.backend)}: ${r.clients.toLocaleString('en-US')} clients, ${r.exchanges.toLocaleString('en-US')} exchanges`, '');
    const what =
      r.backup.kind === 'sqlite'
        ? "SQLite's online backup API in a worker thread, then `PRAGMA integrity_check` on the copy"
        : 'a gzip `crm export` from one snapshot on a connection of its own, then read back and checked';
    out.push(`Backup: ${what}; ${(r.backup.durationMs / 1000).toFixed(1)} s, ${mb(r.backup.bytes)} MiB (\`${r.backup.file}\`).`, '');
    out.push(
      '| window | seconds | requests | req/s | p50 ms | p99 ms | max ms | server CPU | PostgreSQL CPU | server RSS max | failures |',
    );
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [label, w] of [
      ['without a backup', r.without],
      ['during the backup', r.during],
      ['after it', r.after],
    ] as const)
      out.push(
        `| ${label} | ${w.seconds.toFixed(1)} | ${w.requests} | ${w.rps.toFixed(0)} | ${ms(w.p50)} | ${ms(w.p99)} | ${ms(w.maxLatency)} | ${pct(w.cpuPercent)} | ${pct(w.dbCpuPercent)} | ${w.rssMaxMb === undefined ? '-' : `${w.rssMaxMb} MB`} | ${w.failures} |`,
      );
    out.push('');
    out.push(
      `Seeded in ${r.seedSeconds} s (\`${r.seeder}\`); measured ${r.date.slice(0, 16).replace('T', ' ')} UTC, commit ${r.gitCommit}, built ${r.builtAt.slice(11, 16)}; load average ${r.loadBefore.join(' / ')} before the run.`,
      '',
    );
  }
  out.push('## Method', '');
  out.push(
    `- **Data**: a fresh database per backend, seeded by \`crm seed --seed ${SEED}\` as \`npm run bench\` does (SQLite a temporary file,`,
    '  PostgreSQL a `crm_bench_<random>` database through `BENCH_DATABASE_URL`, analyzed after seeding), dropped at the end.',
    '- **App**: the build (`node dist/src/main.js`) with the settings of `npm run bench`: `NODE_ENV=production`, one API key,',
    '  `LOG_LEVEL=info` and `LOG_FORMAT=json` to a file (one access-log line per request), `SQLITE_SYNCHRONOUS=FULL`.',
    `- **Backup**: the server's own schedule, as in production: \`BACKUP_INTERVAL=${first.settings.backupInterval}\` and a fresh \`BACKUP_DIR\`, so the`,
    '  first backup starts 30 s after start-up (the schedule never waits longer for the first one) and no other falls in',
    '  the run. It runs inside the server process, on the same core as the requests, which is what an instance pays on',
    '  its host; `crm db backup` in a process of its own would have had a core of its own here and flattered the figures.',
    '  No bucket: the upload happens after the copy and only waits on the network.',
    `- **Placement**: the server (and its backup worker) pinned to core 0, PostgreSQL's postmaster and every backend`,
    "  (the export's connection included) pinned to core 0 with it, the load generator (autocannon in the bench process)",
    '  on core 1.',
    `- **Load**: S6 (40% read a client, 40% read a timeline, 10% create a client, 10% create an exchange), ${first.settings.connections}`,
    `  connections, in ${first.settings.sliceSeconds} s slices: ${first.settings.warmupSeconds} s warm-up (discarded), ${first.settings.durationSeconds} s without a backup, then without a pause until`,
    `  the backup is over, then ${first.settings.durationSeconds} s more ("after it").`,
    '- **Windows**: every answer is kept with the time it arrived. "During the backup" holds the answers that arrived',
    '  between the backup\'s start and end as the server logged them (`"msg":"backup made"`, its time and `durationMs`);',
    "  its CPU columns are sampled from the backup's first file to its `last-backup.json`, to within 200 ms.",
    '- **Figures**: req/s = 2xx answers / window seconds; p50 and p99 are nearest-rank percentiles at full precision, as in',
    '  docs/benchmarks.md. Server CPU is the whole process (the backup worker included), in % of one core. Failures are',
    '  connection errors, timeouts and non-2xx answers in the slices overlapping the window; any fails the verdict.',
    '',
  );
  out.push('## Machine', '');
  out.push('| | |', '|---|---|');
  out.push(`| CPU | ${first.machine.cpuModel}, ${first.machine.nproc} cores |`);
  out.push(`| memory | ${first.machine.memoryGb} GB |`);
  out.push(`| Node.js | ${first.machine.node} |`);
  out.push(`| system | ${first.machine.platform} |`);
  out.push(`| pinning | ${first.machine.pinned ? 'server and PostgreSQL on core 0, load generator on core 1 (`taskset`)' : 'none'} |`);
  for (const note of first.machine.notes ?? []) out.push(`| note | ${note} |`);
  out.push('', 'The machine is shared: other work may have run during the measurement.', '');
  return out.join('\n');
}

function windowLine(w: WindowFigures): string {
  const db = w.dbCpuPercent === undefined ? '' : ` pg cpu ${w.dbCpuPercent}%`;
  return `${w.seconds.toFixed(1).padStart(6)} s ${w.rps.toFixed(0).padStart(6)} req/s p50 ${ms(w.p50)} p99 ${ms(w.p99)} max ${ms(w.maxLatency)} ms cpu ${w.cpuPercent ?? '-'}%${db} failures ${w.failures}`;
}

function parseOptions(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (['keep', 'report-only', 'help'].includes(name)) flags.add(name);
    else if (inline !== undefined) values.set(name, inline);
    else if (i + 1 < argv.length) values.set(name, argv[++i] as string);
    else throw new Error(`--${name} needs a value\n${USAGE}`);
  }
  if (flags.has('help')) throw new Error(USAGE);
  for (const name of values.keys())
    if (!['backend', 'clients', 'exchanges', 'connections', 'warmup', 'duration'].includes(name))
      throw new Error(`unknown option --${name}\n${USAGE}`);
  const backend = values.get('backend') ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(backend)) throw new Error('--backend must be sqlite, postgres or both');
  const clients = whole(values.get('clients') ?? String(DOCUMENTED.clients), '--clients', 1);
  return {
    backends: backend === 'both' ? ['sqlite', 'postgres'] : [backend as Backend],
    clients,
    exchanges: whole(values.get('exchanges') ?? String(clients * 5), '--exchanges', 0),
    connections: whole(values.get('connections') ?? String(DOCUMENTED.connections), '--connections', 1),
    warmupSeconds: whole(values.get('warmup') ?? String(DOCUMENTED.warmupSeconds), '--warmup', 0),
    durationSeconds: whole(values.get('duration') ?? String(DOCUMENTED.durationSeconds), '--duration', 1),
    keep: flags.has('keep'),
    reportOnly: flags.has('report-only'),
  };
}

function whole(value: string, flag: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`${flag} must be a whole number of at least ${min}`);
  return Number(value);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function ms(value: number): string {
  return value.toFixed(2);
}

function mb(bytes: number): string {
  return (bytes / 1024 ** 2).toFixed(0);
}

function pct(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '-' : `${value}%`;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:backup: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
