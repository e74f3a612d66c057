import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommitWriter } from '../../src/db/dialects/sqlite-group-commit';
import type { SqlSession } from '../../src/db/sql/sql-executor';

/** A real database file; the writer's exec is wrapped only to count the COMMITs it sends. */
function openWriter(file: string): { db: Database.Database; commits: () => number; writer: GroupCommitWriter } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)');
  // Checked at COMMIT, not at the INSERT: the way to make a commit fail on purpose.
  db.exec(
    'CREATE TABLE IF NOT EXISTS replies (id INTEGER PRIMARY KEY, note_id INTEGER REFERENCES notes (id) DEFERRABLE INITIALLY DEFERRED)',
  );
  let commits = 0;
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    if (sql === 'COMMIT') commits += 1;
    return exec(sql);
  };
  const session: SqlSession = {
    run: async (sql, params = []) => db.prepare(sql).run(...params).changes,
    all: async <Row>(sql: string, params: readonly unknown[] = []) => db.prepare(sql).all(...params) as Row[],
    values: async (sql, params = []) =>
      db
        .prepare(sql)
        .raw(true)
        .all(...params) as unknown[][],
    firstValues: async (sql, params = []) =>
      db
        .prepare(sql)
        .raw(true)
        .get(...params) as unknown[] | undefined,
    atomically: (work) => work(session),
  };
  return { db, commits: () => commits, writer: new GroupCommitWriter(db, session) };
}

describe('SQLite group commit', () => {
  let dir: string;
  let file: string;
  let opened: ReturnType<typeof openWriter>;
  /** A second connection, as the API's reader: it sees committed writes only. */
  let reader: Database.Database;
  const texts = () => (reader.prepare('SELECT text FROM notes ORDER BY id').all() as Array<{ text: string }>).map((row) => row.text);
  const insert = (text: string) => (session: SqlSession) => session.run('INSERT INTO notes (text) VALUES (?)', [text]);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-group-commit-'));
    file = path.join(dir, 'notes.db');
    opened = openWriter(file);
    reader = new Database(file, { readonly: true });
  });

  afterEach(() => {
    reader.close();
    opened.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits the writes that queued together once, and answers each only after that commit', async () => {
    const seenAtAnswer: number[] = [];
    const answers = Array.from({ length: 20 }, (_, i) =>
      opened.writer.submit(insert(`note ${i}`)).then(() => seenAtAnswer.push(texts().length)),
    );
    await Promise.all(answers);
    expect(opened.commits()).toBe(1);
    expect(texts()).toHaveLength(20);
    // Every answer came after the commit: the other connection already saw all twenty.
    expect(seenAtAnswer).toEqual(Array(20).fill(20));
  });

  it('undoes a failing write alone, and commits the others of its batch', async () => {
    const results = await Promise.allSettled([
      opened.writer.submit(insert('first')),
      opened.writer.submit(async (session) => {
        await session.run('INSERT INTO notes (text) VALUES (?)', ['half-done']);
        await session.run('INSERT INTO notes (text) VALUES (?)', ['first']);
      }),
      opened.writer.submit(insert('last')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(texts()).toEqual(['first', 'last']);
    expect(opened.commits()).toBe(1);
  });

  it('fails every write of a batch whose COMMIT fails, and goes on with the next batch', async () => {
    const results = await Promise.allSettled([
      opened.writer.submit(insert('first')),
      opened.writer.submit((session) => session.run('INSERT INTO replies (note_id) VALUES (?)', [999])),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(texts()).toEqual([]);
    await opened.writer.submit(insert('next'));
    expect(texts()).toEqual(['next']);
  });

  it('fails the writes done before in a batch that SQLite rolled back whole, and runs the ones queued after in a new one', async () => {
    const results = await Promise.allSettled([
      opened.writer.submit(insert('undone')),
      // What SQLite does on an I/O error or a full disk: the whole transaction is gone.
      opened.writer.submit(async (session) => {
        await session.run('ROLLBACK');
        throw new Error('disk full');
      }),
      opened.writer.submit(insert('after')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ message: 'disk full' });
    expect(texts()).toEqual(['after']);
  });

  it('keeps a batch bounded: past 64 writes the next ones commit in another transaction', async () => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => opened.writer.submit(insert(`note ${i}`))));
    expect(texts()).toHaveLength(100);
    expect(opened.commits()).toBe(2);
  });

  it('shows a batch to no reader before its commit', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const insideBatch = new Promise<void>((resolve) => (written = resolve));
    const write = opened.writer.submit(async (session) => {
      await session.run('INSERT INTO notes (text) VALUES (?)', ['pending']);
      written();
      await held;
    });
    await insideBatch;
    expect(texts()).toEqual([]);
    release();
    await write;
    expect(texts()).toEqual(['pending']);
  });

  it('commits a long transaction on its own: the writes queued before it are answered without waiting for its end', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const longStarted = new Promise<void>((resolve) => (started = resolve));
    const before = opened.writer.submit(insert('before'));
    const long = opened.writer.submit(async (session) => {
      started();
      await session.run('INSERT INTO notes (text) VALUES (?)', ['import']);
      await held;
    }, true);
    const after = opened.writer.submit(insert('after'));
    await longStarted;
    await before;
    expect(texts()).toEqual(['before']);
    release();
    await Promise.all([long, after]);
    expect(texts()).toEqual(['before', 'import', 'after']);
    expect(opened.commits()).toBe(3);
  });

  it('answers a write that waited for the write lock in vain with the error, and goes on with the next', async () => {
    const other = new Database(file);
    other.pragma('busy_timeout = 50');
    opened.db.pragma('busy_timeout = 50');
    other.exec('BEGIN IMMEDIATE');
    const blocked = opened.writer.submit(insert('blocked'));
    await expect(blocked).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    other.exec('ROLLBACK');
    other.close();
    await opened.writer.submit(insert('after'));
    expect(texts()).toEqual(['after']);
  });
});
