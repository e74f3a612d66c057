import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/db/open-database';
import { seedDatabase } from '../../src/seed/seed-database';
import { EXPORT_FORMAT_VERSION } from '../../src/transfer/format';
import { body, EXPORTED_AT, exportText, importText, rowCounts } from '../support/export-text';
import { spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, testBackends, type Backend, type ScratchDatabase } from '../support/test-databases';

const CRM = 'src/cli/crm.ts';
const C1 = '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b';
const C2 = '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7c';

/** An export written by hand: what the format promises, including the awkward values. */
const HARD_RECORDS = [
  {
    type: 'client',
    data: {
      id: C1,
      name: 'Hélène Zoë Noël-François 👩🏽‍💼',
      email: 'helene@example.fr',
      phone: '+33 6 12 34 56 78',
      company: 'Boulangerie « Chez Chloé » 🥐',
      status: 'customer',
      tags: ['vip', 'fidèle', 'b 🐘'],
      notes: 'Line one\nline two\ttab, "quotes", \\ backslash, \u2028 separator, 中文',
      createdAt: '1999-12-31T23:59:59.999Z',
      updatedAt: '2026-11-24T18:00:00.001Z',
      version: 7,
    },
  },
  {
    type: 'client',
    data: {
      id: C2,
      name: 'x',
      email: null,
      phone: null,
      company: null,
      status: 'lead',
      tags: [],
      notes: null,
      createdAt: '2026-01-02T03:04:05.678Z',
      updatedAt: '2026-01-02T03:04:05.678Z',
      version: 1,
    },
  },
  {
    type: 'exchange',
    data: {
      id: '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a80',
      clientId: C1,
      kind: 'meeting',
      direction: null,
      subject: null,
      body: 'Café ☕ à Besançon',
      occurredAt: '2026-11-24T18:00:00.010Z',
      followUpAt: '2027-01-01T00:00:00.000Z',
      createdAt: '2026-11-24T18:00:00.011Z',
      updatedAt: '2026-11-24T18:00:00.012Z',
      version: 2,
    },
  },
  {
    type: 'exchange',
    data: {
      id: '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a81',
      clientId: C2,
      kind: 'email',
      direction: 'inbound',
      subject: 'Ré: devis',
      body: null,
      occurredAt: '2020-02-29T12:00:00.000Z',
      followUpAt: null,
      createdAt: '2020-02-29T12:00:00.000Z',
      updatedAt: '2020-02-29T12:00:00.000Z',
      version: 1,
    },
  },
];

function ndjson(lines: unknown[]): string {
  return lines.map((line) => JSON.stringify(line) + '\n').join('');
}
function hardFile(driver: Backend, version = EXPORT_FORMAT_VERSION): string {
  const header = { format: 'crm-export', version, exportedAt: EXPORTED_AT, source: { driver } };
  return ndjson([header, ...HARD_RECORDS, { type: 'end', counts: { clients: 2, exchanges: 2 } }]);
}

const backends = testBackends();
/** The other backend when both run, so every round trip crosses from one to the other. */
const otherThan = (backend: Backend): Backend => backends.find((b) => b !== backend) ?? backend;

describe.each(backends)('crm export and import from %s', (backend) => {
  const opened: Array<{ scratch: ScratchDatabase; database: Database }> = [];
  async function freshDatabase(kind: Backend = backend): Promise<Database> {
    const scratch = await createScratchDatabase(kind);
    const database = scratch.open();
    await database.migrator.up();
    opened.push({ scratch, database });
    return database;
  }
  afterEach(async () => {
    for (const { scratch, database } of opened.splice(0)) {
      await database.close();
      await scratch.drop();
    }
  });

  it('exports exactly what the format says: key order, nulls, accents, emoji, milliseconds', async () => {
    const database = await freshDatabase();
    expect(await importText(database, hardFile(backend))).toEqual({ clients: 2, exchanges: 2 });
    expect(await exportText(database)).toBe(hardFile(backend));
    // Derived columns are recomputed on import, so search and tag filters work on imported rows.
    const [row] = await database.knex('clients').where({ id: C1 }).select('search_text');
    expect(row.search_text).toContain('helene zoe noel-francois');
    expect((await rowCounts(database)).client_tags).toBe(3);
  });

  it(`round-trips byte for byte to ${otherThan(backend)} and back, in small batches`, async () => {
    const [source, target, back] = [await freshDatabase(), await freshDatabase(otherThan(backend)), await freshDatabase()];
    await importText(source, hardFile(backend));
    await seedDatabase(source, { clients: 30, exchanges: 300, seed: 'round-trip', append: true });
    const original = await exportText(source, 7);
    expect(await importText(target, original, { batchSize: 11 })).toEqual({ clients: 32, exchanges: 302 });
    const copied = await exportText(target, 13);
    expect(body(copied)).toBe(body(original));
    await importText(back, copied);
    expect(await exportText(back)).toBe(original);
  });

  it('gives the same seeded bytes on this backend as on the other', async () => {
    const [here, there] = [await freshDatabase(), await freshDatabase(otherThan(backend))];
    await seedDatabase(here, { clients: 20, exchanges: 200, seed: 'portable' });
    await seedDatabase(there, { clients: 20, exchanges: 200, seed: 'portable' });
    expect(body(await exportText(there))).toBe(body(await exportText(here)));
  });

  it.each([
    [
      'a newer format version',
      (text: string) => text.replace('"version":1', '"version":2'),
      /format version 2; this crm reads versions up to 1/,
    ],
    ['a truncated file', (text: string) => text.split('\n').slice(0, -2).join('\n') + '\n', /without its end line: the file is truncated/],
    ['a corrupt line in the middle', (text: string) => corruptLine(text, 40), /line 40: not valid JSON/],
    ['an invalid record', (text: string) => text.replace('"status":"lead"', '"status":"vip"'), /line \d+: invalid record: status/],
    [
      'a wrong count in the end line',
      (text: string) => text.replace(/"exchanges":(\d+)\}\}\n$/, '"exchanges":1$1}}\n'),
      /end line announces/,
    ],
    [
      'an exchange without its client',
      (text: string) => text.replace(`"clientId":"${C2}"`, '"clientId":"019ab3c4-5d6e-7f80-9a1b-000000000000"'),
      /refers to a client that is not in the file/,
    ],
    ['an unknown field', (text: string) => text.replace('"status":"lead"', '"status":"lead","stage":"won"'), /Unrecognized key: "stage"/],
    ['an id that is not a UUID', (text: string) => text.replace(C2, 'client-2').replace(C2, 'client-2'), /id must be a UUID/],
  ])('rejects %s and leaves the target empty', async (_name, spoil, message) => {
    const source = await freshDatabase();
    await importText(source, hardFile(backend));
    await seedDatabase(source, { clients: 10, exchanges: 60, seed: 'spoiled', append: true });
    const target = await freshDatabase(otherThan(backend));
    // Small batches: several are already written when the bad line comes, and must vanish.
    await expect(importText(target, spoil(await exportText(source)), { batchSize: 5 })).rejects.toThrow(message);
    expect(await rowCounts(target)).toEqual({ clients: 0, client_tags: 0, exchanges: 0 });
  });

  it('refuses a non-empty target unless --truncate, which replaces everything or nothing', async () => {
    const database = await freshDatabase();
    await seedDatabase(database, { clients: 3, exchanges: 9, seed: 'existing' });
    await expect(importText(database, hardFile(backend))).rejects.toThrow(/already has clients/);
    await expect(importText(database, hardFile(backend).replace('"version":7', '"version":0'), { truncate: true })).rejects.toThrow(
      /version/,
    );
    expect(await rowCounts(database)).toMatchObject({ clients: 3, exchanges: 9 });
    await importText(database, hardFile(backend), { truncate: true });
    expect(await exportText(database)).toBe(hardFile(backend));
  });

  it('works from the command line: gzip export, import elsewhere, refusals with exit code 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-export-'));
    const [source, target] = [await createScratchDatabase(backend), await createScratchDatabase(otherThan(backend))];
    try {
      const seeded = spawnEntry(CRM, ['seed', '--clients', '6', '--exchanges', '40', '--seed', 'cli'], source.env);
      expect(await seeded.exited).toBe(0);
      const file = path.join(dir, 'crm.ndjson.gz');
      const exported = spawnEntry(CRM, ['export', '--out', file], source.env);
      expect(await exported.exited).toBe(0);
      expect(exported.output()).toMatch(/Exported 6 clients and 40 exchanges/);
      expect([...fs.readFileSync(file).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
      expect(fs.readdirSync(dir)).toEqual(['crm.ndjson.gz']);

      const imported = spawnEntry(CRM, ['import', '--in', file], target.env);
      expect(await imported.exited).toBe(0);
      expect(imported.output()).toMatch(/Imported 6 clients and 40 exchanges .*counts match/);

      const again = spawnEntry(CRM, ['import', '--in', file], target.env);
      expect(await again.exited).toBe(1);
      expect(again.output()).toMatch(/already has clients.*--truncate.*\nNothing was imported/);

      const newer = path.join(dir, 'newer.ndjson');
      fs.writeFileSync(newer, hardFile(backend, EXPORT_FORMAT_VERSION + 1));
      const refused = spawnEntry(CRM, ['import', '--in', newer, '--truncate'], target.env);
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toMatch(/format version 2; .*newer crm/);

      const stdout = spawnEntry(CRM, ['export'], target.env);
      expect(await stdout.exited).toBe(0);
      const lines = stdout.output().split('\n');
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ format: 'crm-export', version: 1, source: { driver: otherThan(backend) } });
      expect(stdout.output()).toContain('{"type":"end","counts":{"clients":6,"exchanges":40}}');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await source.drop();
      await target.drop();
    }
  });
});

describe('crm export into a pipe whose reader stops early', () => {
  it('stops quietly with the SIGPIPE status (141), like head would expect', async () => {
    const scratch = await createScratchDatabase('sqlite');
    try {
      const seeded = spawnEntry(CRM, ['seed', '--clients', '50', '--exchanges', '4000', '--seed', 'pipe'], scratch.env);
      expect(await seeded.exited).toBe(0);
      const exported = spawnEntry(CRM, ['export'], scratch.env);
      // Like `crm export | head -1`: read the first chunk, then close the pipe (about 2 MB remain).
      exported.child.stdout?.once('data', () => exported.child.stdout?.destroy());
      expect(await exported.exited).toBe(141);
      expect(exported.output()).not.toMatch(/EPIPE|crm:|Error/);
    } finally {
      await scratch.drop();
    }
  });
});

function corruptLine(text: string, lineNumber: number): string {
  const lines = text.split('\n');
  lines[lineNumber - 1] = (lines[lineNumber - 1] ?? '').slice(0, 25);
  return lines.join('\n');
}
