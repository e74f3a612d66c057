import iconv from 'iconv-lite';
import { ValidationError } from '../../src/domain/errors';
import { suggestMapping } from '../../src/imports/column-mapping';
import { detectDelimiter } from '../../src/imports/csv-delimiter';
import { decodeUpload } from '../../src/imports/csv-encoding';
import { readCsv, readHeader, type CsvRecord } from '../../src/imports/csv-records';
import { readRow, rowPlan } from '../../src/imports/row-fields';

const FRENCH = 'Nom;Société;Notes\r\nHélène;Cœur de Loire;l’été à 5 € — “top”\r\n';

async function records(text: string): Promise<CsvRecord[]> {
  const all: CsvRecord[] = [];
  for await (const record of readCsv(text, detectDelimiter(text))) all.push(record);
  return all;
}

/** The failure of a promise, which must fail. */
async function failure(promise: Promise<unknown>): Promise<ValidationError> {
  const outcome = await promise.then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ValidationError);
  return outcome as ValidationError;
}

describe('CSV encoding', () => {
  it('decodes Windows-1252 as Excel saves it, 0x80–0x9F included (œ ’ € — “ ”)', () => {
    const bytes = iconv.encode(FRENCH, 'windows-1252');
    expect(bytes.includes(0x9c)).toBe(true); // œ: the byte TextDecoder('windows-1252') maps to a control character here
    const decoded = decodeUpload(bytes);
    expect(decoded).toEqual({ text: FRENCH, encoding: 'windows-1252' });
    expect(decoded.text).toContain('Cœur');
    expect(decoded.text).toContain('l’été');
    expect(decoded.text).toContain('5 €');
    expect(decoded.text).toContain('Hélène');
  });

  it('reads UTF-8 with a BOM and drops the BOM, and UTF-8 without one', () => {
    const utf8 = Buffer.from(FRENCH, 'utf8');
    expect(decodeUpload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toEqual({ text: FRENCH, encoding: 'utf-8-bom' });
    expect(decodeUpload(utf8)).toEqual({ text: FRENCH, encoding: 'utf-8' });
  });

  it('reads UTF-16 with its BOM (Excel "Unicode text")', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(FRENCH, 'utf-16le')]);
    expect(decodeUpload(bytes)).toEqual({ text: FRENCH, encoding: 'utf-16le' });
  });

  it('honours a declared Windows-1252 charset even for bytes that happen to be valid UTF-8', () => {
    // "Ã©" in Windows-1252 is the UTF-8 encoding of é: only the declaration tells them apart.
    expect(decodeUpload(Buffer.from('Nom\r\nÃ©\r\n', 'latin1'), 'windows-1252').text).toBe('Nom\r\nÃ©\r\n');
  });

  it('refuses binary uploads: NUL bytes, a ZIP (.xlsx), control characters', () => {
    expect(() => decodeUpload(Buffer.from([0x4e, 0x6f, 0x6d, 0x00, 0x01, 0x02]))).toThrow(/NUL/);
    expect(() => decodeUpload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toThrow(/xlsx/);
    expect(() => decodeUpload(Buffer.from('Nom\u0001\u0002\u0003\u0004\r\n'.repeat(10)))).toThrow(/control characters/);
  });
});

describe('CSV delimiter', () => {
  it('finds ; , and tab, ignoring the ones inside quotes', () => {
    expect(detectDelimiter('Nom;Email\r\n"Dupont, Jean";j@x.fr\r\n')).toBe(';');
    expect(detectDelimiter('name,email\n"a;b;c;d",x@y.z\n')).toBe(',');
    expect(detectDelimiter('name\temail\tphone\nA\tb@c.d\t06\n')).toBe('\t');
    expect(detectDelimiter('"Nom; complet",Email\n"x;y;z",a@b.c\n')).toBe(',');
  });
});

describe('CSV records', () => {
  it('keeps quoted delimiters and line breaks in their cell, and numbers rows as a spreadsheet does', async () => {
    const text = 'Nom;Notes\r\n"Dupont; Jean";"ligne 1\r\nligne 2"\r\n\r\nMartin;"dit ""Max"""\r\n;\r\nZoé;fin';
    expect(await records(text)).toEqual([
      { row: 2, cells: ['Dupont; Jean', 'ligne 1\r\nligne 2'] },
      // Row 3 is the blank line, row 5 the row of blank cells: both are passed over, and counted.
      { row: 4, cells: ['Martin', 'dit "Max"'] },
      { row: 6, cells: ['Zoé', 'fin'] },
    ]);
  });

  it('reads tab-separated text', async () => {
    expect(await records('name\temail\nAda\tada@example.com\n')).toEqual([{ row: 2, cells: ['Ada', 'ada@example.com'] }]);
  });

  it('refuses a ragged row, naming its spreadsheet row', async () => {
    const error = await failure(records('Nom;Email\r\nA;a@x.fr\r\n"B\r\nsuite";b@x.fr;extra\r\n'));
    expect(error.message).toMatch(/^Row 3 has 3 fields where the header row has 2/);
    expect(error.errors).toEqual([{ path: 'row 3', message: 'has 3 fields where the header has 2' }]);
  });

  it('refuses a header naming a column twice (case and accents aside), and an empty file', async () => {
    const error = await failure(Promise.resolve().then(() => readHeader('Nom;Email;nom\r\nA;b;c\r\n', ';')));
    expect(error.errors).toEqual([{ path: 'columns.nom', message: 'repeats the column "Nom"' }]);
    await failure(Promise.resolve().then(() => readHeader('', ',')));
  });

  it('refuses a quote opened and never closed, naming the row where it opens', async () => {
    const text = 'Nom;Email\r\nA;a@x.fr\r\nB;"b@x.fr\r\nC;c@x.fr\r\n';
    expect(readHeader(text, ';')).toEqual(['Nom', 'Email']);
    const error = await failure(records(text));
    expect(error.errors).toEqual([{ path: 'row 3', message: 'opens a quote that is never closed' }]);
    const header = await failure(Promise.resolve().then(() => readHeader('Nom;"Email\r\nA;b\r\n', ';')));
    expect(header.message).toMatch(/^Row 1 opens a quote that is never closed/);
  });

  it('names blank header cells by their column letter', async () => {
    expect(readHeader('Nom;;Email\r\n', ';')).toEqual(['Nom', 'Column B', 'Email']);
  });
});

describe('column mapping and row fields', () => {
  it('maps English and French headers whatever their case, accents and spaces; the rest to nothing', () => {
    const columns = ['Nom complet', 'E-mail', 'Téléphone', 'Portable', 'SOCIÉTÉ', 'Statut', 'Étiquettes', 'Commentaires', 'Ville'];
    expect(suggestMapping(columns)).toEqual({
      'Nom complet': 'name',
      'E-mail': 'email',
      Téléphone: 'phone',
      Portable: null,
      SOCIÉTÉ: 'company',
      Statut: 'status',
      Étiquettes: 'tags',
      Commentaires: 'notes',
      Ville: null,
    });
    expect(suggestMapping(['Full Name', 'Courriel', 'Tel', 'Organisation', 'Labels', 'Remarques'])).toEqual({
      'Full Name': 'name',
      Courriel: 'email',
      Tel: 'phone',
      Organisation: 'company',
      Labels: 'tags',
      Remarques: 'notes',
    });
  });

  it('reads status words in English and French and splits tags on , or ;', () => {
    const columns = ['Nom', 'Statut', 'Tags'];
    const plan = rowPlan(columns, suggestMapping(columns));
    expect(readRow(2, ['Ada', 'Client', 'vip; salon 2026, vip'], plan)).toEqual({
      fields: { name: 'Ada', status: 'customer', tags: ['vip', 'salon 2026'] },
      errors: [],
    });
    expect(readRow(3, ['Bob', 'inactif', ''], plan).fields).toEqual({ name: 'Bob', status: 'inactive' });
    expect(readRow(4, ['Eve', 'Piste', ''], plan).fields).toEqual({ name: 'Eve', status: 'lead' });
    expect(readRow(5, ['Zoé', 'peut-être', ''], plan).errors).toEqual([
      { row: 5, column: 'Statut', field: 'status', message: expect.stringContaining('must be one of') },
    ]);
  });

  it('takes back the apostrophe the CSV export puts before formula-like cells', () => {
    const columns = ['name', 'notes'];
    const plan = rowPlan(columns, suggestMapping(columns));
    expect(readRow(2, ['\'=HYPERLINK("x")', "'-5 € d’acompte"], plan).fields).toEqual({ name: '=HYPERLINK("x")', notes: '-5 € d’acompte' });
    expect(readRow(3, ["l'Oréal", "'quoted'"], plan).fields).toEqual({ name: "l'Oréal", notes: "'quoted'" });
  });

  it('checks cells with the API’s rules, naming the column', () => {
    const columns = ['Nom', 'Courriel'];
    const plan = rowPlan(columns, suggestMapping(columns));
    expect(readRow(7, ['Ada', 'not-an-email'], plan).errors).toEqual([
      { row: 7, column: 'Courriel', field: 'email', message: 'must be an email address' },
    ]);
  });
});
