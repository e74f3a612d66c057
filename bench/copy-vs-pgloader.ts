/**
 * `crm db copy` (copy + verification) against Debian's pgloader (copy only), on the same SQLite
 * file into fresh PostgreSQL databases, in one run so both meet the same machine state. Not part
 * of `npm test`.
 *
 *   apt-get install -y pgloader time     # once
 *   npm run build && npx tsx bench/copy-vs-pgloader.ts [--clients 10000] [--exchanges 1000000]
 *       [--runs 3] [--pg postgres://postgres@127.0.0.1:5432/postgres] [--reseed]
 *
 * Each run times both tools back to back (alternating which goes first, since this machine is
 * shared and its load drifts) with GNU time, which also gives the peak RSS. The copy is run once
 * more on a file a tenth the size: equal peak RSS at both sizes is the "memory stays flat" check.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

const ROOT = path.resolve(__dirname, '..');
const CRM = path.join(ROOT, 'dist/src/cli/crm.js');
const WORK = path.join(os.tmpdir(), 'crm-copy-bench');

interface Options {
  clients: number;
  exchanges: number;
  runs: number;
  pg: string;
  reseed: boolean;
}

interface Timed {
  seconds: number;
  peakRssMb: number;
  output: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    clients: 10_000,
    exchanges: 1_000_000,
    runs: 3,
    pg: 'postgres://postgres@127.0.0.1:5432/postgres',
    reseed: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1] ?? '';
    if (flag === '--reseed') {
      options.reseed = true;
    } else if (flag === '--pg') {
      options.pg = value;
      i++;
    } else if (flag === '--clients' || flag === '--exchanges' || flag === '--runs') {
      options[flag.slice(2) as 'clients' | 'exchanges' | 'runs'] = Number(value);
      i++;
    } else {
      throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

function say(line: string): void {
  process.stdout.write(line + '\n');
}

/** Runs a command under GNU time; rejects on a non-zero exit with the command's output. */
function timed(command: string, args: string[], env: Record<string, string> = {}): Promise<Timed> {
  const report = path.join(WORK, `time-${process.pid}.txt`);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-o', report, '-f', '%e %M', command, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      const [seconds, kb] = fs.readFileSync(report, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`));
      else resolve({ seconds: seconds ?? NaN, peakRssMb: Math.round((kb ?? 0) / 1024), output });
    });
  });
}

async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function seeded(clients: number, exchanges: number, reseed: boolean): Promise<string> {
  const file = path.join(WORK, `crm-${clients}-${exchanges}.db`);
  if (fs.existsSync(file) && !reseed) return file;
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  say(`Seeding ${file} with crm seed --clients ${clients} --exchanges ${exchanges} ...`);
  const run = await timed(process.execPath, [CRM, 'seed', '--clients', String(clients), '--exchanges', String(exchanges)], {
    SQLITE_PATH: file,
    LOG_LEVEL: 'warn',
  });
  say(`  seeded in ${run.seconds.toFixed(1)} s (${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MiB)`);
  return file;
}

async function runPgloader(file: string, adminUrl: string): Promise<Timed> {
  const url = await freshDatabase(adminUrl, 'crm_bench_pgloader');
  return timed('pgloader', [`sqlite://${file}`, url]);
}

async function runCopy(file: string, adminUrl: string): Promise<Timed> {
  const url = await freshDatabase(adminUrl, 'crm_bench_copy');
  const run = await timed(process.execPath, [CRM, 'db', 'copy', '--from', file, '--to', url], { LOG_LEVEL: 'warn' });
  if (!/Copied and verified/.test(run.output)) throw new Error(`the copy did not verify:\n${run.output}`);
  return run;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(CRM)) throw new Error('no build: run `npm run build` first');
  for (const tool of ['pgloader', '/usr/bin/time']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is missing: apt-get install -y pgloader time`);
  }
  fs.mkdirSync(WORK, { recursive: true });
  const big = await seeded(options.clients, options.exchanges, options.reseed);
  const small = await seeded(Math.max(1, Math.round(options.clients / 10)), Math.round(options.exchanges / 10), options.reseed);

  const pgloader: Timed[] = [];
  const copy: Timed[] = [];
  for (let run = 1; run <= options.runs; run++) {
    const load = os.loadavg()[0]?.toFixed(1);
    // Alternate the order: whichever runs second may find a warmer page cache or a busier machine.
    if (run % 2) {
      pgloader.push(await runPgloader(big, options.pg));
      copy.push(await runCopy(big, options.pg));
    } else {
      copy.push(await runCopy(big, options.pg));
      pgloader.push(await runPgloader(big, options.pg));
    }
    const [p, c] = [pgloader[run - 1] as Timed, copy[run - 1] as Timed];
    const phases = /Time: (.*)\./.exec(c.output)?.[1] ?? '';
    say(
      `run ${run} (load ${load}): pgloader ${p.seconds.toFixed(1)} s, crm db copy ${c.seconds.toFixed(1)} s (${phases}), copy peak RSS ${c.peakRssMb} MB`,
    );
  }
  const smallCopy = await runCopy(small, options.pg);

  const [p, c] = [median(pgloader.map((r) => r.seconds)), median(copy.map((r) => r.seconds))];
  say('');
  say(
    `| ${options.clients.toLocaleString('en-US')} clients, ${options.exchanges.toLocaleString('en-US')} exchanges | median of ${options.runs} | runs |`,
  );
  say('|---|---|---|');
  say(`| pgloader (copy only) | ${p.toFixed(1)} s | ${pgloader.map((r) => r.seconds.toFixed(1)).join(', ')} |`);
  say(`| crm db copy (copy + verification) | ${c.toFixed(1)} s | ${copy.map((r) => r.seconds.toFixed(1)).join(', ')} |`);
  say(`| crm db copy peak RSS | ${median(copy.map((r) => r.peakRssMb))} MB | at a tenth of the rows: ${smallCopy.peakRssMb} MB |`);
  say(`| pgloader peak RSS | ${median(pgloader.map((r) => r.peakRssMb))} MB | |`);
  say('');
  say(
    c <= p
      ? `✓ copy + verification (${c.toFixed(1)} s) took no longer than pgloader (${p.toFixed(1)} s)`
      : `✗ copy + verification (${c.toFixed(1)} s) was slower than pgloader (${p.toFixed(1)} s)`,
  );
  process.exitCode = c <= p ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
