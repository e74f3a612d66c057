import fs from 'node:fs';
import path from 'node:path';

/**
 * How storage resolution learns about the filesystem. Injected so tests can describe any
 * machine; the real one reads the kernel's view.
 */
export interface MountProbe {
  /** A real mount point: data written below it lives on that device, not in the app folder. */
  isMountPoint(dir: string): boolean;
  /** A test file can be created, synced and removed. */
  isWritable(dir: string): boolean;
}

export function createMountProbe(mountInfoPath = '/proc/self/mountinfo'): MountProbe {
  return {
    isMountPoint(dir) {
      let stat: fs.Stats;
      let parentStat: fs.Stats;
      try {
        stat = fs.statSync(dir);
        if (!stat.isDirectory()) return false;
        parentStat = fs.statSync(path.dirname(path.resolve(dir)));
      } catch {
        return false;
      }
      // A different device than the parent is the classic test; bind mounts of the same
      // device only show up in mountinfo.
      if (stat.dev !== parentStat.dev) return true;
      return listMountPoints(mountInfoPath).has(realpathOrSelf(dir));
    },
    isWritable(dir) {
      const probe = path.join(dir, `.crm-write-test-${process.pid}-${Date.now()}`);
      try {
        const fd = fs.openSync(probe, 'wx');
        try {
          fs.writeSync(fd, 'ok');
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        fs.unlinkSync(probe);
        return true;
      } catch {
        try {
          fs.unlinkSync(probe);
        } catch {
          // nothing was created
        }
        return false;
      }
    },
  };
}

function realpathOrSelf(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** Field 5 of /proc/self/mountinfo is the mount point, with spaces and such octal-escaped. */
function listMountPoints(mountInfoPath: string): Set<string> {
  let text: string;
  try {
    text = fs.readFileSync(mountInfoPath, 'utf8');
  } catch {
    return new Set();
  }
  const points = new Set<string>();
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (field) points.add(field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))));
  }
  return points;
}

/** Whether the file would live on some mounted device other than the root filesystem. */
export function isOnMountedVolume(filePath: string, probe: MountProbe): boolean {
  let dir = path.dirname(path.resolve(filePath));
  while (dir !== path.dirname(dir)) {
    if (probe.isMountPoint(dir)) return true;
    dir = path.dirname(dir);
  }
  return false;
}
