import fs from 'node:fs';

/**
 * The other processes that hold `file` open, from /proc (Linux, Render's machines). null where
 * /proc cannot tell (another system): the caller then cannot rule a running server out.
 */
export function processesUsing(file: string): number[] | null {
  let target: string;
  let pids: string[];
  try {
    target = fs.realpathSync(file);
    pids = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid);
  } catch {
    return null;
  }
  const users: number[] = [];
  for (const pid of pids) {
    let descriptors: string[];
    try {
      descriptors = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's process
    }
    for (const fd of descriptors) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === target) {
          users.push(Number(pid));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return users;
}
