import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, testBackends, type ScratchDatabase } from '../support/test-databases';

const CRM = 'src/cli/crm.ts';

describe.each(testBackends())('crm import --csv on %s', (backend) => {
  let scratch: ScratchDatabase;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    scratch = await createScratchDatabase(backend);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-csv-'));
    file = path.join(dir, 'clients.csv');
    const lines = [
      'Nom;Courriel;Téléphone;Ville',
      'Hélène Cœur;helene@coeur.fr;06 12 34 56 78;Nantes',
      'Sans Email;pas-un-email;;Tours',
      'Doublon;HELENE@coeur.fr;;',
    ];
    fs.writeFileSync(file, iconv.encode(lines.join('\r\n') + '\r\n', 'windows-1252'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await scratch.drop();
  });

  const clientNames = async () => {
    const database = scratch.open();
    try {
      return (await database.knex('clients').select('name', 'notes', 'company').orderBy('name')) as Array<{
        name: string;
        notes: string | null;
      }>;
    } finally {
      await database.close();
    }
  };

  it('checks with --dry-run, imports with --map, reports invalid rows and exits 3', async () => {
    const dry = spawnEntry(CRM, ['import', '--csv', file, '--dry-run'], scratch.env);
    expect(await dry.exited).toBe(3);
    expect(dry.output()).toMatch(/clients\.csv: 3 rows, windows-1252, delimiter ";"/);
    expect(dry.output()).toMatch(
      /Dry run, nothing imported: would create 1, updated 0, skipped 1 duplicate\(s\), 1 invalid row\(s\) left out/,
    );
    expect(dry.output()).toMatch(/row 3, Courriel \(email\): must be an email address/);
    expect(await clientNames()).toEqual([]);

    const run = spawnEntry(CRM, ['import', '--csv', file, '--map', 'Ville=notes'], scratch.env);
    expect(await run.exited).toBe(3);
    expect(run.output()).toMatch(/Columns: Nom -> name, Courriel -> email, Téléphone -> phone, Ville -> notes/);
    expect(run.output()).toMatch(/Created 1, updated 0, skipped 1 duplicate\(s\), 1 invalid row\(s\) left out/);
    expect(run.output()).toMatch(/undo it with DELETE \/api\/v1\/imports\/[0-9a-f-]{36}/);
    expect(await clientNames()).toEqual([{ name: 'Hélène Cœur', notes: 'Nantes', company: null }]);

    // Row 2 updates Hélène (the same email); row 4 repeats row 2's email and is skipped.
    const again = spawnEntry(CRM, ['import', '--csv', file, '--on-duplicate', 'update', '--map', 'Ville=company'], scratch.env);
    expect(await again.exited).toBe(3);
    expect(again.output()).toMatch(/Created 0, updated 1, skipped 1 duplicate\(s\)/);
    expect(await clientNames()).toEqual([{ name: 'Hélène Cœur', notes: 'Nantes', company: 'Nantes' }]);
  });

  it('exits 2 for a mapping naming an unknown column or field, or mixed flags, importing nothing', async () => {
    const unknownColumn = spawnEntry(CRM, ['import', '--csv', file, '--map', 'Town=notes'], scratch.env);
    expect(await unknownColumn.exited).toBe(2);
    expect(unknownColumn.output()).toMatch(/mapping\.Town: is not a column of the file\nNothing was imported/);
    const unknownField = spawnEntry(CRM, ['import', '--csv', file, '--map', 'Ville=city'], scratch.env);
    expect(await unknownField.exited).toBe(2);
    expect(unknownField.output()).toMatch(/city is not a field/);
    const both = spawnEntry(CRM, ['import', '--csv', file, '--in', file], scratch.env);
    expect(await both.exited).toBe(2);
    expect(await clientNames()).toHaveLength(1);
  });

  it('exits 1 for a file that is not CSV text', async () => {
    const binary = path.join(dir, 'book.xlsx');
    fs.writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    const child = spawnEntry(CRM, ['import', '--csv', binary], scratch.env);
    expect(await child.exited).toBe(1);
    expect(child.output()).toMatch(/ZIP archive \(an \.xlsx workbook\?\).*\n.*\nNothing was imported/);
  });
});
