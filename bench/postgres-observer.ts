import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** What the PostgreSQL server did while one side was driven. */
export interface DatabaseUsage {
  /** CPU time of the server's processes (postmaster and every backend) over wall time, % of one core. */
  dbCpuPercent: number;
  /** Backends running a statement, averaged over samples every 50 ms, and the most seen at once. */
  dbBusyAvg: number;
  dbBusyMax: number;
}

const CLOCK_TICKS = 100;
const SAMPLE_MS = 50;

/**
 * The PostgreSQL server the bench runs against, seen from outside: its processes (for CPU and
 * pinning) and its activity (how many connections are busy). Both app and baseline share it,
 * and only one of them is driven at a time, so what it shows belongs to the side being driven.
 */
export class PostgresObserver {
  private constructor(
    private readonly postmaster: number,
    private readonly client: pg.Client,
  ) {}

  static async open(url: string): Promise<PostgresObserver> {
    // On the server's maintenance database: the bench database is dropped and recreated (with
    // its connections terminated) when a run restores it.
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    // A terminated connection must not end the bench; sampling then reports nothing.
    client.on('error', () => undefined);
    await client.connect();
    const { rows } = await client.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'data_directory'");
    // The first line of postmaster.pid is the server's pid (readable when the bench runs as root or as postgres).
    const pid = Number(fs.readFileSync(path.join(rows[0]?.setting ?? '', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return new PostgresObserver(pid, client);
  }

  /** The postmaster and its children: backends fork from it, so they inherit its affinity. */
  processes(): number[] {
    const children = fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => parentOf(pid) === this.postmaster);
    return [this.postmaster, ...children];
  }

  /**
   * Puts the server on the core the servers under test use, as a machine with one core per
   * service would, so the app and its baseline each pay for their database work on their core.
   * Returns a function that restores the previous affinity.
   */
  pin(core: number): () => void {
    const previous =
      execFileSync('taskset', ['-c', '-p', String(this.postmaster)], { encoding: 'utf8' })
        .split(':')
        .pop()
        ?.trim() ?? '';
    const setAll = (cores: string) => {
      for (const pid of this.processes()) {
        try {
          execFileSync('taskset', ['-a', '-c', '-p', cores, String(pid)], { stdio: 'ignore' });
        } catch {
          // A backend that exited meanwhile.
        }
      }
    };
    setAll(String(core));
    return () => setAll(previous);
  }

  /** Starts sampling; stop() tells what the server did since. */
  sample(): { stop(): Promise<DatabaseUsage> } {
    const startTicks = this.cpuTicks();
    const startedAt = process.hrtime.bigint();
    const busy: number[] = [];
    let pending: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      pending = this.client
        .query<{ busy: number }>(
          "SELECT count(*)::int AS busy FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
        )
        .then((result) => busy.push(result.rows[0]?.busy ?? 0))
        .catch(() => undefined);
    }, SAMPLE_MS);
    return {
      stop: async () => {
        clearInterval(timer);
        await pending;
        const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
        const cpuSeconds = (this.cpuTicks() - startTicks) / CLOCK_TICKS;
        return {
          dbCpuPercent: Math.round((cpuSeconds / seconds) * 1000) / 10,
          dbBusyAvg: busy.length ? Math.round((busy.reduce((a, b) => a + b, 0) / busy.length) * 10) / 10 : Number.NaN,
          dbBusyMax: busy.length ? Math.max(...busy) : Number.NaN,
        };
      },
    };
  }

  close(): Promise<void> {
    return this.client.end();
  }

  /**
   * Ticks of the live processes, and of those that exited: the postmaster reaps its backends,
   * so their time moves into its children's counters. A pool that closes idle connections
   * during a scenario (fewer are busy when statements are shared) would otherwise make the
   * figure drop, even below zero.
   */
  private cpuTicks(): number {
    const reaped = statFields(this.postmaster);
    const exited = reaped ? Number(reaped[13]) + Number(reaped[14]) : 0;
    return this.processes().reduce((total, pid) => total + (ticksOf(pid) || 0), exited);
  }
}

function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function parentOf(pid: number): number {
  return Number(statFields(pid)?.[1] ?? -1);
}

function ticksOf(pid: number): number {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : 0;
}
