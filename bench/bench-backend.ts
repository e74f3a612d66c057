import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase, type Backend, type BenchDatabase } from './bench-database';
import { measureGeneratorCeiling } from './generator-ceiling';
import { measurePair, type LoadSettings, type PairSide } from './load';
import { failed, type Measurement } from './measurement';
import { canPin, currentLoad, machineInfo, pinSelf } from './machine';
import { PostgresObserver } from './postgres-observer';
import { SIZES, type BenchOptions } from './options';
import type { BackendResult, RunResult } from './results';
import { SCENARIOS, type Scenario } from './scenarios';
import { ROOT, seedDatabase } from './seed-database';
import { startServer, type ServerProcess } from './server-process';
import { API_KEY, serverSpec, type Side } from './server-specs';

const SEED = 42;

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Seeds one backend, then measures every scenario on the app and its baseline, N runs. */
export async function benchBackend(backend: Backend, options: BenchOptions): Promise<BackendResult> {
  const { clients, exchanges } = SIZES[options.size];
  const scenarios = selectedScenarios(backend, options);
  // Read now: the tree may change while the bench runs; the build it measures is what it was at the start.
  const commit = gitCommit();
  const builtAt = fs.statSync(path.join(ROOT, 'dist/src/main.js')).mtime.toISOString();
  const db = await createBenchDatabase(backend);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), `crm-bench-logs-${backend}-`));
  try {
    say(`\n== ${backend}: seeding ${clients} clients / ${exchanges} exchanges into ${db.label}`);
    const seed = await seedDatabase(db.env, clients, exchanges, SEED);
    await db.afterSeed();
    say(`   seeded in ${seed.seconds.toFixed(1)} s with ${seed.seeder}`);
    const writes = scenarios.some((scenario) => scenario.writes);
    if (writes && options.runs > 1) await db.snapshot();
    const ids = await db.readClientIds();
    const pinned = canPin();
    // Read before pinning: nproc counts only the cores this process may use.
    const machine = machineInfo(pinned);
    // The load generator (this process) on core 1; every server is started on core 0.
    if (pinned) pinSelf(1);
    const settings: LoadSettings = {
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      apiKey: API_KEY,
    };
    const generatorCeilingRps = await measureGeneratorCeiling(settings, logDir, pinned ? 0 : null);
    const observer = backend === 'postgres' ? await PostgresObserver.open(db.env.DATABASE_URL as string) : undefined;
    // PostgreSQL shares core 0 with the server under test, the load generator keeps core 1.
    const unpin = pinned && observer ? observer.pin(0) : undefined;
    if (unpin) say('   PostgreSQL pinned to core 0 with the server under test');
    say(`   load generator ceiling (trivial server): ${generatorCeilingRps} req/s`);
    const runs: RunResult[] = [];
    try {
      for (let run = 1; run <= options.runs; run++) {
        if (run > 1 && writes) await db.restore();
        runs.push(await benchRun(run, { backend, db, ids, scenarios, settings, options, logDir, core: pinned ? 0 : null, observer }));
      }
    } finally {
      unpin?.();
      await observer?.close();
    }
    const anyFailed = runs.some((run) => Object.values(run.scenarios).some((pair) => failed(pair.app) || failed(pair.baseline)));
    // Server logs are large (one line a request) and only interesting when something failed.
    if (options.keep || anyFailed) say(`   server logs kept in ${logDir}`);
    else fs.rmSync(logDir, { recursive: true, force: true });
    return {
      backend,
      size: options.size,
      clients,
      exchanges,
      seeder: seed.seeder,
      seedSeconds: Math.round(seed.seconds * 10) / 10,
      date: new Date().toISOString(),
      gitCommit: commit,
      builtAt,
      machine,
      generatorCeilingRps,
      settings: {
        connections: settings.connections,
        warmupSeconds: settings.warmupSeconds,
        durationSeconds: settings.durationSeconds,
        runs: options.runs,
        logLevel: options.logLevel,
      },
      searchSql: SEARCH_STRATEGY[backend],
      runs,
    };
  } finally {
    if (options.keep) say(`   kept ${db.label}`);
    else await db.drop();
  }
}

export function selectedScenarios(backend: Backend, options: BenchOptions): Scenario[] {
  // synchronous is a SQLite setting: PostgreSQL has one S3.
  return SCENARIOS.filter((scenario) => options.scenarios.includes(scenario.id) && !(backend === 'postgres' && scenario.id === 'S3n'));
}

interface RunContext {
  backend: Backend;
  db: BenchDatabase;
  ids: string[];
  scenarios: Scenario[];
  settings: LoadSettings;
  options: BenchOptions;
  logDir: string;
  core: number | null;
  observer: PostgresObserver | undefined;
}

async function benchRun(run: number, context: RunContext): Promise<RunResult> {
  const order = run % 2 === 1 ? 'app-first' : 'baseline-first';
  const sides: Side[] = order === 'app-first' ? ['app', 'baseline'] : ['baseline', 'app'];
  const loadBefore = currentLoad();
  say(`-- ${context.backend} run ${run}/${context.options.runs} (${order}), load average ${loadBefore.join(' ')}`);
  const servers = new Map<string, ServerProcess>();
  const server = async (side: Side, synchronous: 'FULL' | 'NORMAL') => {
    const key = `${side}-${synchronous}`;
    let found = servers.get(key);
    if (!found) {
      const spec = serverSpec({
        backend: context.backend,
        side,
        synchronous,
        dbEnv: context.db.env,
        logLevel: context.options.logLevel,
        logDir: context.logDir,
        core: context.core,
      });
      found = await startServer(spec);
      servers.set(key, found);
    }
    return found;
  };
  const result: RunResult = { run, order, loadBefore, scenarios: {} };
  try {
    for (const scenario of context.scenarios) {
      const pair: PairSide[] = [];
      for (const side of sides) {
        const target = await server(side, scenario.synchronous);
        const tag = `${run}${side[0]}${randomBytes(3).toString('hex')}`;
        pair.push({ baseUrl: target.baseUrl, pid: target.pid, nextRequest: scenario.requests(context.ids, tag) });
      }
      const [firstMeasured, secondMeasured] = await measurePair(
        pair[0] as PairSide,
        pair[1] as PairSide,
        context.settings,
        context.observer,
      );
      const [app, baseline] = sides[0] === 'app' ? [firstMeasured, secondMeasured] : [secondMeasured, firstMeasured];
      result.scenarios[scenario.id] = { app, baseline };
      say(`   ${scenario.id.padEnd(4)} app ${line(app)} | baseline ${line(baseline)} | ratio ${(app.rps / baseline.rps).toFixed(2)}`);
    }
  } finally {
    for (const running of servers.values()) await running.stop();
  }
  return result;
}

function line(m: Measurement): string {
  const status = failed(m)
    ? ` FAILED (errors ${m.errors}, timeouts ${m.timeouts}, non-2xx ${m.non2xx} ${JSON.stringify(m.statusCounts)})`
    : '';
  const database = m.dbCpuPercent === undefined ? '' : ` | pg cpu ${m.dbCpuPercent}% busy ${m.dbBusyAvg}/${m.dbBusyMax}`;
  return `${m.rps.toFixed(0).padStart(6)} req/s p50 ${m.p50.toFixed(2)} p99 ${m.p99.toFixed(2)} ms rss ${m.rssMaxMb} MB cpu ${m.cpuPercent}%${database}${status}`;
}

export function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    // The build is made from the working tree: say when it held uncommitted source.
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'migrations'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** How each backend answers q (see src/db/dialects/*-client-search.ts), for the report. */
const SEARCH_STRATEGY: Record<'sqlite' | 'postgres', string> = {
  sqlite:
    'FTS5 trigram index for rare terms; for a common one (about sqrt(clients) matches or more, at most 2,000), LIKE tested on the (created_at, id, search_text) index while walking it newest first (one bounded index probe decides; its answer is remembered for a minute per term)',
  postgres:
    "search_text LIKE ? ESCAPE '\\' over a pg_trgm GIN index (the planner chooses between it and the sort index, with search_text statistics 500 values wide)",
};
