import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/db/open-database';
import { seedDatabase } from '../../src/seed/seed-database';
import { EXPORT_FORMAT_VERSION } from '../../src/transfer/format';
import { addTrashAndHistory, allRows } from '../support/copy-fixtures';
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

const T1 = '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a90';
const ALONE = '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a92';

/** Version 2: the trash (a client with an exchange, an exchange on its own) and the history, in file order. */
const HARD_TRASH_AND_HISTORY = [
  {
    type: 'trashedClient',
    deletedAt: '2026-11-20T09:30:00.123Z',
    data: { ...HARD_RECORDS[1]?.data, id: T1, name: 'Zoë « à la corbeille » 🗑', tags: ['ex-vip'], version: 3 },
  },
  {
    type: 'trashedExchange',
    deletedAt: '2026-11-20T09:30:00.123Z',
    trashedWithClient: T1,
    data: { ...HARD_RECORDS[3]?.data, id: '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a91', clientId: T1 },
  },
  {
    type: 'trashedExchange',
    deletedAt: '2025-01-01T00:00:00.000Z',
    trashedWithClient: null,
    data: { ...HARD_RECORDS[2]?.data, id: ALONE, subject: 'Seul\tdans la corbeille', version: 4 },
  },
  ...[
    [C1, 1, 'created', 'ops', { name: { from: null, to: 'Hélène Zoë' }, tags: { from: null, to: ['vip', 'b 🐘'] } }],
    [
      C1,
      2,
      'updated',
      'key-0a1b2c3d',
      { notes: { from: null, to: 'Line one\nline two\ttab, \u2028 中文' }, status: { from: 'lead', to: 'customer' } },
    ],
    [T1, 3, 'deleted', null, {}],
    [ALONE, 4, 'deleted', 'ops', {}],
    // Deleted for good since: its history stays.
    ['019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a99', 1, 'created', null, { kind: { from: null, to: 'call' }, subject: { from: null, to: 'gone' } }],
  ].map(([recordId, version, action, actor, changes], n) => ({
    type: 'history',
    data: {
      recordType: n === 0 || n === 1 || n === 2 ? 'client' : 'exchange',
      recordId,
      version,
      action,
      at: `2026-11-2${n}T10:00:00.00${n}Z`,
      actor,
      changes,
    },
  })),
];

function ndjson(lines: unknown[]): string {
  return lines.map((line) => JSON.stringify(line) + '\n').join('');
}
/** The hard records in a file of the given version: version 1 holds the live records only. */
function hardFile(driver: Backend, version = EXPORT_FORMAT_VERSION): string {
  const header = { format: 'crm-export', version, exportedAt: EXPORTED_AT, source: { driver } };
  if (version === 1) return ndjson([header, ...HARD_RECORDS, { type: 'end', counts: { clients: 2, exchanges: 2 } }]);
  const counts = { clients: 2, exchanges: 2, trashedClients: 1, trashedExchanges: 2, history: 5 };
  return ndjson([header, ...HARD_RECORDS, ...HARD_TRASH_AND_HISTORY, { type: 'end', counts }]);
}
const HARD_COUNTS = { clients: 2, exchanges: 2, trashedClients: 1, trashedExchanges: 2, history: 5 };
const NOTHING = { clients: 0, client_tags: 0, exchanges: 0, clients_trash: 0, exchanges_trash: 0, history: 0 };

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

  it('exports exactly what the format says: key order, nulls, accents, emoji, milliseconds, trash and history', async () => {
    const database = await freshDatabase();
    expect(await importText(database, hardFile(backend))).toEqual(HARD_COUNTS);
    expect(await exportText(database)).toBe(hardFile(backend));
    expect(await rowCounts(database)).toEqual({
      clients: 2,
      client_tags: 3,
      exchanges: 2,
      clients_trash: 1,
      exchanges_trash: 2,
      history: 5,
    });
    const [trashed] = await database.knex('exchanges_trash').where({ id: ALONE }).select('trashed_with_client', 'deleted_at');
    expect([trashed.trashed_with_client, database.dialect.fromDbTimestamp(trashed.deleted_at)]).toEqual([null, '2025-01-01T00:00:00.000Z']);
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
    expect(await importText(target, original, { batchSize: 11 })).toEqual({ ...HARD_COUNTS, clients: 32, exchanges: 302 });
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
      (text: string) => text.replace('"version":2', '"version":3'),
      /format version 3; this crm reads versions up to 2/,
    ],
    ['a truncated file', (text: string) => text.split('\n').slice(0, -2).join('\n') + '\n', /without its end line: the file is truncated/],
    ['a corrupt line in the middle', (text: string) => corruptLine(text, 40), /line 40: not valid JSON/],
    ['an invalid record', (text: string) => text.replace('"status":"lead"', '"status":"vip"'), /line \d+: invalid record: status/],
    [
      'a wrong count in the end line',
      (text: string) => text.replace(/"history":(\d+)\}\}\n$/, '"history":1$1}}\n'),
      /end line announces 1\d+ history; the file holds \d+/,
    ],
    [
      'a history entry with an unknown action',
      (text: string) => text.replace('"action":"deleted"', '"action":"erased"'),
      /line \d+: invalid record: action/,
    ],
    [
      'a trashed record without its deletion time',
      (text: string) => text.replace(/"deletedAt":"[^"]+",/, ''),
      /line \d+: invalid record: deletedAt is required/,
    ],
    [
      'a trashed record after the history',
      (text: string) => {
        const lines = text.split('\n');
        const trashed = lines.findIndex((line) => line.includes('"type":"trashedClient"'));
        const [moved] = lines.splice(trashed, 1);
        lines.splice(lines.length - 2, 0, moved ?? '');
        return lines.join('\n');
      },
      /a trashedClient record after the history records/,
    ],
    [
      'a record both live and in the trash',
      (text: string) =>
        text.replace(
          `"type":"trashedClient","deletedAt":"2026-11-20T09:30:00.123Z","data":{"id":"${T1}"`,
          `"type":"trashedClient","deletedAt":"2026-11-20T09:30:00.123Z","data":{"id":"${C2}"`,
        ),
      new RegExp(`client ${C2} is both live and in the trash`),
    ],
    [
      'a history entry twice',
      (text: string) => text.replace(`"recordId":"${T1}","version":3`, `"recordId":"${C1}","version":2`),
      /appears twice/,
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
    const spoiled = spoil(await exportText(source));
    await expect(importText(target, spoiled, { batchSize: 5 })).rejects.toThrow(message);
    expect(await rowCounts(target)).toEqual(NOTHING);
  });

  it('still reads a version 1 file (no trash, no history), and refuses version 2 records in one', async () => {
    const database = await freshDatabase();
    expect(await importText(database, hardFile(backend, 1))).toEqual({
      ...HARD_COUNTS,
      trashedClients: 0,
      trashedExchanges: 0,
      history: 0,
    });
    const header = { format: 'crm-export', version: EXPORT_FORMAT_VERSION, exportedAt: EXPORTED_AT, source: { driver: backend } };
    const counts = { clients: 2, exchanges: 2, trashedClients: 0, trashedExchanges: 0, history: 0 };
    expect(await exportText(database)).toBe(ndjson([header, ...HARD_RECORDS, { type: 'end', counts }]));

    const target = await freshDatabase(otherThan(backend));
    const mixed = hardFile(backend, 1).replace('{"type":"end"', `${JSON.stringify(HARD_TRASH_AND_HISTORY[0])}\n{"type":"end"`);
    await expect(importText(target, mixed)).rejects.toThrow(/line 6: a trashedClient record in a version 1 file/);
    // A version 1 end line has two counts; a version 2 one needs all five.
    await expect(importText(target, hardFile(backend).replace(',"trashedClients":1', ''))).rejects.toThrow(
      /the end line has no valid counts/,
    );
    expect(await rowCounts(target)).toEqual(NOTHING);
  });

  it(`carries a trash and a history written below the API to ${otherThan(backend)} and back`, async () => {
    const [source, target, back] = [await freshDatabase(), await freshDatabase(otherThan(backend)), await freshDatabase()];
    await seedDatabase(source, { clients: 5, exchanges: 20, seed: 'trash-rows' });
    const [live] = await source.knex('clients').select('id').orderBy('id').limit(1);
    const [liveExchange] = await source.knex('exchanges').select('id').orderBy('id').limit(1);
    const api = (await exportText(source)).split('\n').map((line) => (line ? JSON.parse(line) : null));
    const client = api.find((line) => line?.data?.id === live.id)?.data;
    const exchange = api.find((line) => line?.data?.id === liveExchange.id)?.data;
    await addTrashAndHistory(source, client, exchange);
    const original = await exportText(source, 2);
    expect(await importText(target, original, { batchSize: 3 })).toEqual({
      clients: 5,
      exchanges: 20,
      trashedClients: 1,
      trashedExchanges: 3,
      history: 5,
    });
    for (const table of ['clients_trash', 'exchanges_trash', 'history'])
      expect(await allRows(target, table)).toEqual(await allRows(source, table));
    await importText(back, await exportText(target));
    expect(await exportText(back)).toBe(original);
  });

  it('refuses a non-empty target unless --truncate, which replaces everything or nothing', async () => {
    const database = await freshDatabase();
    // Only history left (every record deleted for good) is data too.
    await importText(
      database,
      ndjson([
        JSON.parse(hardFile(backend).split('\n')[0] ?? ''),
        HARD_TRASH_AND_HISTORY[7],
        { type: 'end', counts: { ...HARD_COUNTS, clients: 0, exchanges: 0, trashedClients: 0, trashedExchanges: 0, history: 1 } },
      ]),
    );
    await expect(importText(database, hardFile(backend))).rejects.toThrow(/already has clients/);
    await seedDatabase(database, { clients: 3, exchanges: 9, seed: 'existing' });
    await expect(importText(database, hardFile(backend))).rejects.toThrow(/already has clients/);
    await expect(importText(database, hardFile(backend).replace('"version":7', '"version":0'), { truncate: true })).rejects.toThrow(
      /version/,
    );
    expect(await rowCounts(database)).toMatchObject({ clients: 3, exchanges: 9, history: 1 });
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
      expect(refused.output()).toMatch(/format version 3; .*newer crm/);

      const stdout = spawnEntry(CRM, ['export'], target.env);
      expect(await stdout.exited).toBe(0);
      const lines = stdout.output().split('\n');
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ format: 'crm-export', version: 2, source: { driver: otherThan(backend) } });
      expect(stdout.output()).toContain(
        '{"type":"end","counts":{"clients":6,"exchanges":40,"trashedClients":0,"trashedExchanges":0,"history":0}}',
      );
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
