import fs from 'node:fs';

/** What the server process used while a scenario ran. */
export interface ResourceUsage {
  /** Highest VmRSS seen, in MiB. */
  rssMaxMb: number;
  /**
   * CPU time the server used over wall time, in % of one core. Near 100 means the server is the
   * bottleneck; well below it (with zero errors) means the load generator or the database is.
   */
  cpuPercent: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux: /proc/<pid>/stat counts in 1/100 s.

/** Samples /proc/<pid>/status VmRSS every 100 ms until stopped; Linux only (NaN elsewhere). */
export function sampleResources(pid: number): { stop(): ResourceUsage } {
  let rssMaxKb = 0;
  const startCpu = cpuTicks(pid);
  const startedAt = process.hrtime.bigint();
  const sample = () => {
    rssMaxKb = Math.max(rssMaxKb, rssKb(pid));
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const cpuSeconds = (cpuTicks(pid) - startCpu) / CLOCK_TICKS;
      return {
        rssMaxMb: rssMaxKb > 0 ? Math.round((rssMaxKb / 1024) * 10) / 10 : Number.NaN,
        cpuPercent: Number.isFinite(cpuSeconds) && seconds > 0 ? Math.round((cpuSeconds / seconds) * 1000) / 10 : Number.NaN,
      };
    },
  };
}

function rssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function cpuTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}
