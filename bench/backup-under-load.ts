import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import { gitCommit, say } from './bench-backend';
import { createBenchDatabase, type Backend } from './bench-database';
import { drive, type LoadSettings } from './load';
import { canPin, currentLoad, machineInfo, pinSelf } from './machine';
import { PostgresObserver, type DatabaseUsage } from './postgres-observer';
import { sampleResources, type ResourceUsage } from './resource-sampler';
import { SCENARIOS } from './scenarios';
import { ROOT, seedDatabase } from './seed-database';
import { startServer, type ServerProcess } from './server-process';
import { API_KEY, serverSpec } from './server-specs';
import { percentileOfSorted, SampleBuffer } from './stats';
import { parseOptions } from './backup-load/options';
import { mb, readResults, renderReport, round3, windowLine } from './backup-load/report';
import {
  BACKUP_INTERVAL,
  BACKUP_TIMEOUT_MS,
  DOC,
  DOCUMENTED,
  POLL_MS,
  RESULT_FILE,
  SEED,
  SLICE_SECONDS,
  type BackendBackupResult,
  type BackupFigures,
  type Options,
  type WindowFigures,
} from './backup-load/settings';

/**
 * `npm run bench:backup -- [options]`: the API's latency under the S6 mix without a backup, then
 * while the server takes its scheduled backup, on a seeded database (1,000,000 clients by
 * default). Stores bench/results/backup-under-load.json and regenerates docs/benchmarks-backup.md.
 */

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

main().catch((error: unknown) => {
  process.stderr.write(`bench:backup: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
