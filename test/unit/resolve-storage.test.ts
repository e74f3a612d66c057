import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMountProbe, type MountProbe } from '../../src/storage/mount-probe';
import { resolveStorage, StorageRefusedError } from '../../src/storage/resolve-storage';
import { describeStorage, diskInUseLine, diskMissingLine } from '../../src/storage/storage-messages';
import { redactDatabaseUrl } from '../../src/storage/storage-target';
import { testConfig } from '../support/test-databases';

const DISK = '/opt/render/project/persistent';

function probe(mounts: string[], writable = mounts): MountProbe {
  return { isMountPoint: (dir) => mounts.includes(dir), isWritable: (dir) => writable.includes(dir) };
}

describe('resolveStorage', () => {
  it('uses PostgreSQL when DATABASE_URL is set, and never exposes its password', () => {
    const config = testConfig({ DATABASE_URL: 'postgres://crm:s3cretPW@db.internal:5432/crm' });
    const target = resolveStorage(config, { probe: probe([DISK]) });
    expect(target.driver).toBe('postgres');
    expect(target.reason).toBe('database-url');
    expect(target.location).toBe('postgres://crm@db.internal:5432/crm');
    expect(target.location).not.toContain('s3cretPW');
  });

  it('uses SQLITE_PATH before the disk', () => {
    const config = testConfig({ SQLITE_PATH: '/srv/crm/my.db' });
    const target = resolveStorage(config, { probe: probe([DISK, '/srv']) });
    expect(target).toMatchObject({ driver: 'sqlite', path: '/srv/crm/my.db', reason: 'sqlite-path' });
  });

  it('uses <disk>/crm.db when the disk is a mounted, writable directory', () => {
    const target = resolveStorage(testConfig(), { probe: probe([DISK]) });
    expect(target).toMatchObject({ driver: 'sqlite', path: `${DISK}/crm.db`, persistent: true, reason: 'persistent-disk' });
  });

  it('does not trust a disk folder that is not a mount point', () => {
    const target = resolveStorage(testConfig(), { probe: probe([], [DISK]), cwd: '/app' });
    expect(target).toMatchObject({ path: '/app/data/crm.db', persistent: false, reason: 'local-fallback' });
  });

  it('does not use a mounted disk it cannot write to', () => {
    const target = resolveStorage(testConfig(), { probe: probe([DISK], []), cwd: '/app' });
    expect(target.reason).toBe('local-fallback');
  });

  it('refuses to start without persistent storage when REQUIRE_PERSISTENT_STORAGE=true', () => {
    const config = testConfig({ REQUIRE_PERSISTENT_STORAGE: 'true' });
    expect(() => resolveStorage(config, { probe: probe([]) })).toThrow(StorageRefusedError);
    expect(() => resolveStorage(config, { probe: probe([]) })).toThrow(/persistent disk mounted at .*or set DATABASE_URL/);
  });

  it('accepts REQUIRE_PERSISTENT_STORAGE=true with a disk or a database URL', () => {
    const config = testConfig({ REQUIRE_PERSISTENT_STORAGE: 'true' });
    expect(resolveStorage(config, { probe: probe([DISK]) }).persistent).toBe(true);
    const withUrl = testConfig({ REQUIRE_PERSISTENT_STORAGE: 'true', DATABASE_URL: 'postgres://u@h/d' });
    expect(resolveStorage(withUrl, { probe: probe([]) }).driver).toBe('postgres');
  });

  it('counts an SQLITE_PATH below a mounted volume as persistent', () => {
    const config = testConfig({ SQLITE_PATH: '/var/data/crm/crm.db', REQUIRE_PERSISTENT_STORAGE: 'true' });
    const target = resolveStorage(config, { probe: { isMountPoint: (d) => d === '/var/data', isWritable: () => true } });
    expect(target.persistent).toBe(true);
  });
});

describe('the operator lines', () => {
  it('are the guide’s exact French lines by default', () => {
    expect(diskInUseLine(`${DISK}/crm.db`, 'fr')).toBe('✅ Utilisation du disque persistant Render: /opt/render/project/persistent/crm.db');
    expect(diskMissingLine('fr')).toBe("⚠️  Disque persistant non trouvé. Les données peuvent être perdues lors d'un redéploiement.");
  });

  it('have English equivalents', () => {
    expect(diskInUseLine('/d/crm.db', 'en')).toBe('✅ Using the Render persistent disk: /d/crm.db');
    expect(diskMissingLine('en')).toMatch(/^⚠️ {2}Persistent disk not found/);
  });

  it('repeat the warning in a banner on Render', () => {
    const target = resolveStorage(testConfig(), { probe: probe([]) });
    const lines = describeStorage(target, 'fr', true);
    expect(lines.filter((line) => line === diskMissingLine('fr')).length).toBeGreaterThanOrEqual(3);
    expect(describeStorage(target, 'fr', false)).toEqual([diskMissingLine('fr')]);
  });
});

describe('redactDatabaseUrl', () => {
  it('removes the password and password-like parameters', () => {
    expect(redactDatabaseUrl('postgresql://u:p%40ss@h:5/d?sslmode=require&password=x')).toBe(
      'postgresql://u@h:5/d?sslmode=require&password=REDACTED',
    );
  });
});

describe('createMountProbe (the real filesystem)', () => {
  const real = createMountProbe();

  it('does not take a plain folder for a mount point', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-plain-'));
    try {
      expect(real.isMountPoint(dir)).toBe(false);
      expect(real.isWritable(dir)).toBe(true);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('says a missing folder is neither mounted nor writable', () => {
    expect(real.isMountPoint('/definitely/not/here')).toBe(false);
    expect(real.isWritable('/definitely/not/here')).toBe(false);
  });

  const shmIsMounted = fs.existsSync('/proc/self/mountinfo') && fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(' /dev/shm ');
  (shmIsMounted ? it : it.skip)('recognises a real mount point (/dev/shm)', () => {
    expect(real.isMountPoint('/dev/shm')).toBe(true);
    expect(real.isWritable('/dev/shm')).toBe(true);
    const target = resolveStorage(testConfig({ PERSISTENT_DISK_PATH: '/dev/shm' }), { probe: real });
    expect(target).toMatchObject({ path: '/dev/shm/crm.db', persistent: true, reason: 'persistent-disk' });
  });
});
