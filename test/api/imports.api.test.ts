import iconv from 'iconv-lite';
import type request from 'supertest';
import { TestClock } from '../factories/services';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const DAY_MS = 24 * 60 * 60 * 1000;

/** A sheet as French Excel saves "CSV (séparateur: point-virgule)": Windows-1252, `;`, CRLF, no BOM. */
function excelCsv(lines: string[]): Buffer {
  return iconv.encode(lines.join('\r\n') + '\r\n', 'windows-1252');
}

/** A sheet as "CSV UTF-8" is saved: a BOM, `,`. */
function utf8BomCsv(lines: string[]): Buffer {
  return Buffer.concat([BOM, Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

interface ClientJson {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  status: string;
  tags: string[];
  notes: string | null;
  version: number;
}

describe.each(testBackends())('CSV imports on %s', (backend) => {
  let api: ApiHarness;
  const clock = new TestClock();
  beforeAll(async () => {
    api = await startApiHarness(backend, { clock: clock.now, env: { IMPORT_BODY_LIMIT: '256kb' } });
  });
  afterAll(async () => {
    await api.close();
  });

  const upload = (bytes: Buffer, type = 'text/csv') => api.post('/api/v1/imports').set('Content-Type', type).send(bytes);
  const uploaded = async (bytes: Buffer) => (await upload(bytes).expect(201)).body as { id: string };
  const commit = (id: string, body: Record<string, unknown> = {}) => api.post(`/api/v1/imports/${id}/commit`, body);
  const search = async (q: string): Promise<ClientJson[]> =>
    (await api.get(`/api/v1/clients?limit=100&q=${encodeURIComponent(q)}`).expect(200)).body.data;
  const problem = (res: request.Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
    return res.body as { detail: string; errors?: Array<{ path: string; message: string }> };
  };

  it('uploads an Excel Windows-1252 sheet, previews it, and imports it with its accents and line breaks', async () => {
    const file = excelCsv([
      'Nom;Société;Courriel;Téléphone;Statut;Étiquettes;Commentaires;Ville',
      'Hélène Dupont;Cœur de Loire;helene@coeur.fr;06 11 22 33 44;Client;"vip; salon";"l’été: 5 €\r\n2e ligne; avec ;";Nantes',
      'Zoë Œillet;"Dupont; Fils";zoe@oeillet.fr;;piste;;;Tours',
    ]);
    const res = await upload(file).expect(201);
    expect(res.headers.location).toBe(`/api/v1/imports/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: 'pending',
      rows: 2,
      encoding: 'windows-1252',
      delimiter: ';',
      columns: ['Nom', 'Société', 'Courriel', 'Téléphone', 'Statut', 'Étiquettes', 'Commentaires', 'Ville'],
      mapping: {
        Nom: 'name',
        Société: 'company',
        Courriel: 'email',
        Téléphone: 'phone',
        Statut: 'status',
        Étiquettes: 'tags',
        Commentaires: 'notes',
        Ville: null,
      },
      committedAt: null,
      result: null,
    });
    expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)).toBe(DAY_MS);
    expect(res.body.preview[0]).toEqual({
      row: 2,
      client: {
        name: 'Hélène Dupont',
        email: 'helene@coeur.fr',
        phone: '06 11 22 33 44',
        company: 'Cœur de Loire',
        status: 'customer',
        tags: ['vip', 'salon'],
        notes: 'l’été: 5 €\r\n2e ligne; avec ;',
      },
      errors: [],
    });
    // Nothing is imported before the commit.
    expect(await search('helene')).toEqual([]);
    expect((await api.get(`/api/v1/imports/${res.body.id}`).expect(200)).body).toEqual(res.body);

    const committed = await commit(res.body.id).expect(200);
    expect(committed.body).toEqual({
      id: res.body.id,
      status: 'committed',
      created: 2,
      updated: 0,
      skipped: 0,
      failed: 0,
      errors: [],
      onDuplicate: 'skip',
      mapping: res.body.mapping,
    });
    const [helene] = await search('helene');
    expect(helene).toMatchObject({ name: 'Hélène Dupont', company: 'Cœur de Loire', notes: 'l’été: 5 €\r\n2e ligne; avec ;', version: 1 });
    const [zoe] = await search('oeillet');
    expect(zoe).toMatchObject({ name: 'Zoë Œillet', company: 'Dupont; Fils', status: 'lead', phone: null, tags: [] });
    const history = (await api.get(`/api/v1/clients/${helene!.id}/history`).expect(200)).body.data;
    expect(history).toEqual([
      expect.objectContaining({
        version: 1,
        action: 'imported',
        changes: expect.objectContaining({ name: { from: null, to: 'Hélène Dupont' } }),
      }),
    ]);
    const job = (await api.get(`/api/v1/imports/${res.body.id}`).expect(200)).body;
    expect(job).toMatchObject({ status: 'committed', result: { created: 2 } });
    expect(job.committedAt).not.toBeNull();
  });

  it('reports invalid rows by spreadsheet row (a quoted line break does not shift them) and imports the rest', async () => {
    const file = utf8BomCsv([
      'Full name,E-mail,Notes,Status',
      'Ada Lovelace,ada@example.org,"first line',
      'second line",lead',
      'Bad Email,not-an-email,,prospect',
      ',nameless@example.org,,customer',
      'Grace Hopper,grace@example.org,,retired',
      'Alan Turing,alan@example.org,,Inactive',
    ]);
    const job = await upload(file).expect(201);
    expect(job.body).toMatchObject({ encoding: 'utf-8-bom', delimiter: ',', rows: 5, columns: ['Full name', 'E-mail', 'Notes', 'Status'] });
    const res = await commit(job.body.id, { onDuplicate: 'skip' }).expect(200);
    expect(res.body).toMatchObject({ created: 2, updated: 0, skipped: 0, failed: 3 });
    expect(res.body.errors).toEqual([
      { row: 3, column: 'E-mail', field: 'email', message: 'must be an email address' },
      { row: 4, column: 'Full name', field: 'name', message: 'is required' },
      { row: 5, column: 'Status', field: 'status', message: expect.stringContaining('must be one of') },
    ]);
    expect((await search('ada@example.org'))[0]).toMatchObject({ notes: 'first line\r\nsecond line' });
  });

  it('matches duplicates on the folded email, else the phone however written; skip, dry run, update', async () => {
    const existing = (
      await api
        .post('/api/v1/clients', { name: 'Jean Martin', email: 'Jean.Martin@Exemple.fr', phone: '+33 6 12 34 56 78', tags: ['old'] })
        .expect(201)
    ).body as ClientJson;
    const other = (await api.post('/api/v1/clients', { name: 'Paul Durand', email: null, phone: '+33 7 00 00 00 01' }).expect(201))
      .body as ClientJson;
    const lines = [
      'Nom;Courriel;Téléphone;Société;Étiquettes',
      'Jean MARTIN;jean.martin@exemple.fr;;Martin SARL;salon',
      'P. Durand;;07 00 00 00 01;Durand & Cie;',
      'Nouveau Venu;nouveau@exemple.fr;06 12 34 56 78;;',
      'Nouveau Bis;NOUVEAU@exemple.fr;;;',
    ];
    const skip = await commit((await uploaded(excelCsv(lines))).id, { onDuplicate: 'skip' }).expect(200);
    // Row 4 shares Jean's phone (06 12 34 56 78 = +33 6 12 34 56 78); row 5 repeats row 4's email.
    expect(skip.body).toMatchObject({ created: 0, updated: 0, skipped: 4, failed: 0 });

    const updateJob = await uploaded(excelCsv(lines.slice(0, 3)));
    const dry = await commit(updateJob.id, { onDuplicate: 'update', dryRun: true }).expect(200);
    expect(dry.body).toMatchObject({ status: 'dry_run', created: 0, updated: 2, skipped: 0, failed: 0 });
    expect((await api.get(`/api/v1/clients/${existing.id}`).expect(200)).body.version).toBe(1);
    expect((await api.get(`/api/v1/imports/${updateJob.id}`).expect(200)).body.status).toBe('pending');

    const update = await commit(updateJob.id, { onDuplicate: 'update' }).expect(200);
    expect(update.body).toMatchObject({ status: 'committed', created: 0, updated: 2, skipped: 0 });
    const jean = (await api.get(`/api/v1/clients/${existing.id}`).expect(200)).body as ClientJson;
    // Non-blank cells replace, tags are added; the blank phone cell keeps the phone.
    expect(jean).toMatchObject({
      name: 'Jean MARTIN',
      email: 'jean.martin@exemple.fr',
      phone: '+33 6 12 34 56 78',
      company: 'Martin SARL',
      tags: ['old', 'salon'],
      version: 2,
    });
    const history = (await api.get(`/api/v1/clients/${existing.id}/history`).expect(200)).body.data;
    expect(history[0]).toMatchObject({ version: 2, action: 'imported', changes: { name: { from: 'Jean Martin', to: 'Jean MARTIN' } } });
    expect((await api.get(`/api/v1/clients/${other.id}`).expect(200)).body).toMatchObject({ name: 'P. Durand', company: 'Durand & Cie' });

    const create = await commit((await uploaded(excelCsv(lines))).id, { onDuplicate: 'create' }).expect(200);
    expect(create.body).toMatchObject({ created: 4, skipped: 0 });
  });

  it('undoes a committed import: created clients to the trash, updated ones back unless changed since', async () => {
    const kept = (await api.post('/api/v1/clients', { name: 'Kept', email: 'kept@undo.fr', company: 'Before' }).expect(201))
      .body as ClientJson;
    const touched = (await api.post('/api/v1/clients', { name: 'Touched', email: 'touched@undo.fr' }).expect(201)).body as ClientJson;
    const job = await uploaded(
      excelCsv([
        'Nom;Courriel;Société',
        'Kept;kept@undo.fr;After',
        'Touched;touched@undo.fr;After',
        'New One;new1@undo.fr;',
        'New Two;new2@undo.fr;',
      ]),
    );
    expect((await commit(job.id, { onDuplicate: 'update' }).expect(200)).body).toMatchObject({ created: 2, updated: 2 });
    const [newOne] = await search('new1@undo.fr');
    await api.patch(`/api/v1/clients/${touched.id}`, { notes: 'edited after the import' }).expect(200);

    const undo = await api.del(`/api/v1/imports/${job.id}`).expect(200);
    expect(undo.body).toEqual({
      id: job.id,
      status: 'undone',
      trashed: 2,
      restored: 1,
      alreadyGone: 0,
      conflicts: [{ clientId: touched.id, reason: 'changed since the import (version 2, now 3)' }],
    });
    expect((await api.get(`/api/v1/clients/${kept.id}`).expect(200)).body).toMatchObject({ company: 'Before', version: 3 });
    expect((await api.get(`/api/v1/clients/${touched.id}`).expect(200)).body).toMatchObject({
      company: 'After',
      notes: 'edited after the import',
    });
    await api.get(`/api/v1/clients/${newOne!.id}`).expect(404);
    const trash = (await api.get('/api/v1/trash?type=client&limit=100').expect(200)).body.data as Array<{ id: string }>;
    expect(trash.map((item) => item.id)).toContain(newOne!.id);
    // A retried DELETE answers the same; the job says what happened.
    expect((await api.del(`/api/v1/imports/${job.id}`).expect(200)).body).toEqual(undo.body);
    expect((await api.get(`/api/v1/imports/${job.id}`).expect(200)).body).toMatchObject({
      status: 'undone',
      undo: { trashed: 2, restored: 1 },
    });
    problem(await commit(job.id), 409, 'conflict');
  });

  it('imports the CSV export of another database back to the same clients', async () => {
    const source = await startApiHarness(backend);
    try {
      const written = [
        {
          name: 'Œdipe Roi',
          email: 'oedipe@thebes.gr',
          phone: '+30 21 0000 0000',
          company: 'Thèbes; Cité',
          status: 'customer',
          tags: ['vip', 'salon 2026'],
          notes: 'ligne 1\nligne 2 "citée"',
        },
        { name: '=HYPERLINK("http://x")', email: null, phone: null, company: null, status: 'inactive', tags: [], notes: '-5 € d’acompte' },
      ];
      for (const body of written) await source.post('/api/v1/clients', body).expect(201);
      const exported = await source
        .get('/api/v1/clients?delimiter=semicolon')
        .set('Accept', 'text/csv')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(exported.status).toBe(200);
      const job = (await upload(exported.body as Buffer).expect(201)).body;
      expect(job).toMatchObject({
        encoding: 'utf-8-bom',
        delimiter: ';',
        rows: 2,
        mapping: { id: null, name: 'name', tags: 'tags', createdAt: null },
      });
      expect((await commit(job.id, { onDuplicate: 'create' }).expect(200)).body).toMatchObject({ created: 2, failed: 0 });
      for (const body of written) {
        const [found] = await search(body.email ?? body.name);
        expect(found).toMatchObject(body);
      }
    } finally {
      await source.close();
    }
  });

  it('announces the clients an import creates and updates to the webhooks that ask, in the same transaction', async () => {
    const existing = (await api.post('/api/v1/clients', { name: 'Déjà Là', email: 'deja@la.fr' }).expect(201)).body as ClientJson;
    const hook = (
      await api.post('/api/v1/webhooks', { url: 'https://hooks.example.com/crm', events: ['client.created', 'client.updated'] }).expect(201)
    ).body as { id: string };
    const since = (await api.database.sql.values('SELECT id FROM webhook_events')).length;
    const job = await uploaded(
      excelCsv(['Nom;Courriel', 'Nouvelle Une;une@nouvelle.fr', 'Nouveau Deux;deux@nouveau.fr', 'Déjà Là;DEJA@la.fr']),
    );
    const dry = await uploaded(excelCsv(['Nom;Courriel', 'Jamais Écrit;jamais@ecrit.fr']));
    expect((await commit(dry.id, { dryRun: true }).expect(200)).body).toMatchObject({ status: 'dry_run', created: 1 });
    expect((await commit(job.id, { onDuplicate: 'update' }).expect(200)).body).toMatchObject({ created: 2, updated: 1 });
    const rows = await api.database.sql.values('SELECT type, record_id, payload FROM webhook_events ORDER BY id');
    const events = rows
      .slice(since)
      .map(([type, recordId, payload]) => ({ type, recordId, data: JSON.parse(payload as string) as ClientJson }));
    expect(events.map((event) => event.type).sort()).toEqual(['client.created', 'client.created', 'client.updated']);
    expect(
      events
        .filter((event) => event.type === 'client.created')
        .map((event) => event.data.name)
        .sort(),
    ).toEqual(['Nouveau Deux', 'Nouvelle Une']);
    const updated = events.find((event) => event.type === 'client.updated');
    expect(updated?.recordId).toBe(existing.id);
    expect(updated?.data).toEqual((await api.get(`/api/v1/clients/${existing.id}`).expect(200)).body);
    await api.del(`/api/v1/webhooks/${hook.id}`).expect(204);
  });

  it('discards a pending upload (204), then knows it no more', async () => {
    const job = await uploaded(excelCsv(['Nom', 'Solo']));
    await api.del(`/api/v1/imports/${job.id}`).expect(204);
    problem(await api.get(`/api/v1/imports/${job.id}`), 404, 'not_found');
  });

  it('refuses bad uploads with the right problem', async () => {
    expect(problem(await upload(Buffer.alloc(0)), 422, 'validation_failed').detail).toMatch(/empty/);
    problem(await upload(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])), 422, 'validation_failed');
    expect(problem(await upload(Buffer.from('Nom;Email\r\n')), 422, 'validation_failed').detail).toMatch(/no data rows/);
    expect(problem(await upload(Buffer.from('Nom;Email;NOM\r\na;b;c\r\n')), 422, 'validation_failed').errors).toEqual([
      { path: 'columns.NOM', message: 'repeats the column "Nom"' },
    ]);
    expect(problem(await upload(Buffer.from('Nom;Email\r\na;b\r\nc;d;e\r\n')), 422, 'validation_failed').detail).toMatch(
      /^Row 3 has 3 fields/,
    );
    expect(problem(await upload(Buffer.from('Nom;Email\r\na;"b\r\nc;d\r\n')), 422, 'validation_failed').detail).toMatch(
      /^Row 2 opens a quote/,
    );
    problem(await upload(Buffer.from('x'.repeat(300 * 1024))), 413, 'payload_too_large');
    problem(await api.post('/api/v1/imports', { name: 'json' }), 415, 'unsupported_media_type');
    problem(await upload(Buffer.from('Nom\r\na\r\n'), 'text/csv; charset=koi8-r'), 415, 'unsupported_media_type');
    // Browsers label .csv files application/vnd.ms-excel on Windows.
    expect((await upload(Buffer.from('Nom\r\nA\r\n'), 'application/vnd.ms-excel').expect(201)).body.rows).toBe(1);
  });

  it('refuses bad commits: mapping, unknown fields and ids, committed and expired jobs', async () => {
    const job = await uploaded(excelCsv(['Nom;Courriel', 'Ada;ada@map.fr']));
    const mapping = problem(await commit(job.id, { mapping: { Inconnue: 'name', Courriel: 'name' } }), 422, 'validation_failed');
    expect(mapping.errors).toEqual([
      { path: 'mapping.Inconnue', message: 'is not a column of the file' },
      { path: 'mapping.Courriel', message: 'fills name, as "Nom" does' },
    ]);
    expect(problem(await commit(job.id, { mapping: { Nom: 'fullName' } }), 422, 'validation_failed').errors?.[0]?.path).toBe('mapping.Nom');
    expect(problem(await commit(job.id, { onDuplicate: 'merge' }), 422, 'validation_failed').errors?.[0]?.path).toBe('onDuplicate');
    expect(problem(await commit(job.id, { dryrun: true }), 422, 'validation_failed').errors).toEqual([
      { path: 'dryrun', message: 'unknown field' },
    ]);
    expect(problem(await commit(job.id, { mapping: { Nom: null } }), 422, 'validation_failed').errors).toEqual([
      { path: 'mapping', message: 'no column fills name, which every client needs' },
    ]);
    problem(await commit('019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b'), 404, 'not_found');
    problem(await api.get('/api/v1/imports/not-an-id'), 404, 'not_found');
    // A mapping can rename: Courriel read as notes instead.
    expect((await commit(job.id, { mapping: { Courriel: 'notes' } }).expect(200)).body).toMatchObject({ created: 1 });
    expect((await search('ada'))[0]).toMatchObject({ email: null, notes: 'ada@map.fr' });
    expect(problem(await commit(job.id), 409, 'conflict').detail).toMatch(/already committed/);

    const late = await uploaded(excelCsv(['Nom', 'Tardif']));
    clock.advance(DAY_MS + 1);
    expect(problem(await commit(late.id), 410, 'gone').detail).toMatch(/expired/);
    expect(await search('tardif')).toEqual([]);
  });
});
