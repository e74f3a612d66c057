import { parse } from 'csv-parse/sync';
import { seedDatabase } from '../../src/seed/seed-database';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

const CLIENTS = '/api/v1/clients';
const HEADER = 'id,name,email,phone,company,status,tags,notes,createdAt,updatedAt';
const BOM = '\ufeff';

interface ClientJson {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  status: string;
  tags: string[];
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Clock ticking one millisecond per call from a fixed day: the file name's date is known. */
function tickingClock(): () => string {
  let now = Date.parse('2026-03-04T10:00:00.000Z');
  return () => new Date((now += 1)).toISOString();
}

function csvGet(api: ApiHarness, query = ''): Promise<{ status: number; text: string; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    api
      .get(`${CLIENTS}${query}`)
      .set('Accept', 'text/csv')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
      })
      .end((error, res) =>
        error && !res ? reject(error) : resolve({ status: res.status, text: res.body as string, headers: res.headers }),
      );
  });
}

/** The records of an export, header first, as a spreadsheet would split them. */
const records = (text: string, delimiter = ','): string[][] => parse(text, { bom: true, delimiter, record_delimiter: '\r\n' });

/** What a client's row must hold: the API's values, tags joined. */
const expectedRow = (c: ClientJson) => [
  c.id,
  c.name,
  c.email ?? '',
  c.phone ?? '',
  c.company ?? '',
  c.status,
  c.tags.join(', '),
  c.notes ?? '',
  c.createdAt,
  c.updatedAt,
];

async function listAll(api: ApiHarness, query: string): Promise<ClientJson[]> {
  const all: ClientJson[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `${CLIENTS}?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api.get(url).expect(200);
    all.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return all;
}

describe.each(testBackends())('GET /api/v1/clients as text/csv on %s', (backend) => {
  let api: ApiHarness;
  const created: ClientJson[] = [];

  beforeAll(async () => {
    api = await startApiHarness(backend, { clock: tickingClock() });
    const bodies = [
      {
        name: 'Hélène Dupont; "la grande"',
        email: 'helene@exemple.fr',
        phone: '+33 6 12 34 56 78',
        company: 'Société, Générale',
        tags: ['vip', 'paris'],
        notes: 'Ligne 1\r\nLigne 2\nLigne 3',
        status: 'customer',
      },
      { name: 'Zoë Œuvre', company: 'Cœur & Fils', tags: ['lyon'], notes: 'l’été — 5 €' },
      { name: '=HYPERLINK("http://evil.example","clic")', notes: '@SUM(1+1)', tags: ['-x', 'vip'], phone: '-12 34 56' },
      { name: "+cmd|' /C calc'!A0", status: 'prospect', notes: '\tTab first' },
    ];
    for (const body of bodies) created.push((await api.post(CLIENTS, body).expect(201)).body);
  });
  afterAll(async () => {
    await api.close();
  });

  it('streams RFC 4180 CSV: BOM, header, CRLF, quoting of delimiters, quotes and line breaks, accents intact', async () => {
    const res = await csvGet(api);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="clients-2026-03-04.csv"');
    expect(res.text.startsWith(`${BOM}${HEADER}\r\n`)).toBe(true);
    expect(res.text).toContain('"Hélène Dupont; ""la grande"""');
    expect(res.text).toContain('"Société, Générale"');
    expect(res.text).toContain('"Ligne 1\r\nLigne 2\nLigne 3"');
    expect(res.text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = records(res.text);
    expect(header).toEqual(HEADER.split(','));
    // Newest first, as the list's default sort.
    const helene = rows.find((row) => row[0] === created[0]!.id);
    expect(helene).toEqual(expectedRow(created[0]!));
    expect(rows.find((row) => row[0] === created[1]!.id)).toEqual(expectedRow(created[1]!));
    expect(rows.map((row) => row[0])).toEqual([...created].reverse().map((c) => c.id));
  });

  it('writes formula-like cells with a leading apostrophe, numbers and phone numbers as they are', async () => {
    const rows = records((await csvGet(api)).text);
    const byId = new Map(rows.map((row) => [row[0], row]));
    const formula = byId.get(created[2]!.id)!;
    expect(formula[1]).toBe(`'=HYPERLINK("http://evil.example","clic")`);
    expect(formula[3]).toBe('-12 34 56');
    expect(formula[6]).toBe(`'-x, vip`);
    expect(formula[7]).toBe(`'@SUM(1+1)`);
    const dde = byId.get(created[3]!.id)!;
    expect(dde[1]).toBe(`'+cmd|' /C calc'!A0`);
    expect(dde[7]).toBe(`'\tTab first`);
    expect(byId.get(created[0]!.id)![3]).toBe('+33 6 12 34 56 78');
  });

  it('separates with semicolons for delimiter=semicolon, quoting the cells that hold one', async () => {
    const res = await csvGet(api, '?delimiter=semicolon');
    expect(res.text.startsWith(`${BOM}${HEADER.replaceAll(',', ';')}\r\n`)).toBe(true);
    expect(res.text).toContain(';Société, Générale;');
    expect(res.text).toContain('"Hélène Dupont; ""la grande"""');
    const rows = records(res.text, ';').slice(1);
    expect(rows.find((row) => row[0] === created[0]!.id)).toEqual(expectedRow(created[0]!));
    expect(records((await csvGet(api, '?delimiter=comma')).text)).toEqual(records((await csvGet(api)).text));
  });

  it('honours the filters and the sort of the list', async () => {
    for (const query of [
      '&sort=name',
      '&sort=-name&tag=vip',
      '&q=HELENE',
      '&status=customer',
      '&updatedSince=2030-01-01',
      '&q=%C5%93uvre&sort=createdAt',
    ]) {
      const listed = await listAll(api, query);
      const rows = records((await csvGet(api, `?${query.slice(1)}`)).text).slice(1);
      expect(rows.map((row) => row[0])).toEqual(listed.map((c) => c.id));
    }
    expect(
      records((await csvGet(api, '?sort=name')).text)
        .slice(1)
        .map((row) => row[1]),
    ).toEqual([`'+cmd|' /C calc'!A0`, `'=HYPERLINK("http://evil.example","clic")`, 'Hélène Dupont; "la grande"', 'Zoë Œuvre']);
  });

  it('refuses a bad delimiter, paging parameters and unknown parameters with 400 problem details', async () => {
    for (const query of ['delimiter=tab', 'delimiter=', 'limit=10', 'cursor=abc', 'format=xlsx', 'sort=size']) {
      const res = await api.get(`${CLIENTS}?${query}`).set('Accept', 'text/csv').expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('invalid_parameter');
    }
    // delimiter means nothing to the JSON list.
    await api.get(`${CLIENTS}?delimiter=semicolon`).expect(400);
  });

  it('answers JSON to any other Accept, as before', async () => {
    for (const accept of [
      undefined,
      '*/*',
      'application/json',
      'application/xml',
      'text/csv;q=0.5, application/json',
      'text/html',
      'text/*',
    ]) {
      const request = api.get(CLIENTS);
      const res = await (accept === undefined ? request : request.set('Accept', accept)).expect(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body.data).toHaveLength(created.length);
    }
    const csv = await api
      .get(CLIENTS)
      .set('Accept', 'application/json;q=0.1, text/csv')
      .buffer(true)
      .parse((res, done) => {
        res.on('data', () => undefined);
        res.on('end', () => done(null, null));
      });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const upper = await api
      .get(CLIENTS)
      .set('Accept', 'Text/CSV')
      .buffer(true)
      .parse((res, done) => {
        res.on('data', () => undefined);
        res.on('end', () => done(null, null));
      });
    expect(upper.headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('needs the API key', async () => {
    await api.raw().get(CLIENTS).set('Accept', 'text/csv').expect(401);
  });

  it('exports every client past the page size, in the list order, without pages', async () => {
    await seedDatabase(api.database, { clients: 1234, exchanges: 0, seed: 'csv-export', append: true });
    const listed = await listAll(api, '&sort=name');
    const rows = records((await csvGet(api, '?sort=name')).text).slice(1);
    expect(rows).toHaveLength(1234 + created.length);
    expect(rows.map((row) => row[0])).toEqual(listed.map((c) => c.id));
    expect(rows.map((row) => row.length).every((length) => length === 10)).toBe(true);
  });
});
