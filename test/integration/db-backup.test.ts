import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { fillCrmDatabase } from '../support/copy-fixtures';
import { PROJECT_ROOT, spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, type ScratchDatabase } from '../support/test-databases';

const CRM = 'src/cli/crm.ts';
const BACKUP_NAME = /crm-\d{8}T\d{6}Z\.db/;

// A second process committing small transactions as fast as it can, as a busy server would.
const WRITER = `
const Database = require('better-sqlite3');
const { randomUUID } = require('node:crypto');
const db = new Database(process.env.DB);
db.pragma('busy_timeout = 5000');
const insert = db.prepare("INSERT INTO clients (id, name, status, tags, search_text, sort_name, created_at, updated_at, version) VALUES (?, ?, 'lead', '[]', 'load', 'load', ?, ?, 1)");
const batch = db.transaction(() => { for (let i = 0; i < 20; i++) { const now = new Date().toISOString(); insert.run(randomUUID(), 'Load ' + i, now, now); } });
let commits = 0;
(function tick() { batch(); commits++; if (commits % 25 === 0) process.stdout.write('commits ' + commits + '\\n'); setImmediate(tick); })();
`;

function startWriter(file: string) {
  const child = spawn(process.execPath, ['-e', WRITER], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', DB: file } });
  let commits = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    const last = /commits (\d+)\n$/.exec(chunk.toString());
    if (last) commits = Number(last[1]);
  });
  return { child, commits: () => commits };
}

describe('crm db backup on SQLite', () => {
  let scratch: ScratchDatabase;
  let file: string;
  beforeAll(async () => {
    scratch = await createScratchDatabase('sqlite');
    const database = scratch.open();
    await fillCrmDatabase(database, { clients: 50, exchanges: 3000 });
    await database.close();
    file = scratch.target.driver === 'sqlite' ? scratch.target.path : '';
  });
  afterAll(() => scratch.drop());

  it('backs up a database under concurrent write load into backups/ beside it; the copy passes integrity_check', async () => {
    const writer = startWriter(file);
    try {
      await waitFor(() => writer.commits() >= 25);
      const before = writer.commits();
      const backup = spawnEntry(CRM, ['db', 'backup'], { SQLITE_PATH: file });
      expect(await backup.exited).toBe(0);
      const made = new RegExp(
        `Backup: (${path.join(path.dirname(file), 'backups').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${BACKUP_NAME.source})`,
      ).exec(backup.output());
      expect(made).not.toBeNull();
      // The writer was never stopped: it kept committing while the backup ran.
      expect(writer.commits()).toBeGreaterThan(before);
      const copy = new Sqlite(made?.[1] ?? '', { readonly: true, fileMustExist: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
        expect((copy.prepare('SELECT count(*) AS n FROM exchanges').get() as { n: number }).n).toBeGreaterThan(3000);
        expect((copy.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n).toBeGreaterThanOrEqual(51);
      } finally {
        copy.close();
      }
    } finally {
      writer.child.kill('SIGKILL');
    }
  });

  it('--out and --keep: keeps the newest N backups and never touches other files', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-backups-'));
    try {
      const old = ['crm-20200101T000000Z.db', 'crm-20210101T000000Z.db', 'crm-20220101T000000Z.db'];
      for (const name of [...old, 'notes.txt']) fs.writeFileSync(path.join(out, name), 'x');
      const backup = spawnEntry(CRM, ['db', 'backup', '--out', out, '--keep', '2'], { SQLITE_PATH: file });
      expect(await backup.exited).toBe(0);
      const left = fs.readdirSync(out).sort();
      expect(left).toHaveLength(3);
      expect(left).toEqual(expect.arrayContaining(['crm-20220101T000000Z.db', 'notes.txt']));
      expect(left.find((name) => BACKUP_NAME.test(name) && !old.includes(name))).toBeDefined();
      expect(backup.output()).toMatch(/Removed old backup: .*crm-20200101T000000Z\.db/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('deletes a backup that fails integrity_check and exits 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-corrupt-'));
    try {
      const damaged = path.join(dir, 'crm.db');
      const db = new Sqlite(damaged);
      db.exec('CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT); CREATE INDEX notes_body ON notes (body);');
      const insert = db.prepare('INSERT INTO notes VALUES (?, ?)');
      db.transaction(() => {
        for (let i = 0; i < 3000; i++) insert.run(`id${i}`, `body ${(i * 7919) % 3000}`);
      })();
      const pages = db.pragma('page_count', { simple: true }) as number;
      db.close();
      // Junk over the cells of the last pages: the file opens, but its b-trees no longer hold.
      const fd = fs.openSync(damaged, 'r+');
      for (let page = pages; page > pages - 5; page--) fs.writeSync(fd, Buffer.alloc(600, 0x41), 0, 600, (page - 1) * 4096 + 3000);
      fs.closeSync(fd);

      const backup = spawnEntry(CRM, ['db', 'backup'], { SQLITE_PATH: damaged });
      expect(await backup.exited).toBe(1);
      expect(backup.output()).toMatch(/integrity_check/);
      // No copy; the failure is recorded for /health and crm doctor.
      expect(fs.readdirSync(path.join(dir, 'backups'))).toEqual(['last-backup.json']);
      expect(fs.readFileSync(path.join(dir, 'backups', 'last-backup.json'), 'utf8')).toMatch(
        /"error": "backup failed: the backup failed PRAGMA integrity_check/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// On PostgreSQL, crm db backup writes a gzip export: test/integration/backup-restore.test.ts.

async function waitFor(condition: () => boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
