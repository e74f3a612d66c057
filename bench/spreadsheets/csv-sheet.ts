import iconv from 'iconv-lite';
import { foldText } from '../../src/domain/text-normalization';
import { Prng } from '../../src/seed/prng';
import { CITIES, FIRST_NAMES, LAST_NAMES, TAGS } from '../../src/seed/vocabulary';

/** How a spreadsheet saves CSV: French Excel's "CSV (séparateur: point-virgule)", or "CSV UTF-8". */
export type SheetFlavour = 'excel-windows-1252' | 'utf-8-bom';

const STATUS_WORDS = ['Prospect', 'Client', 'piste', 'Inactif', 'lead', 'customer'];
const NOTES = ['Rappeler à l’été', 'Cœur de cible, budget 5 000 €', 'Préfère le téléphone', '', '', ''];

/** Letters, digits, dots and hyphens: what a real address's part looks like. */
function mailbox(text: string): string {
  return foldText(text).replace(/[^a-z0-9.-]+/g, '-');
}

function quoted(cell: string, delimiter: string): string {
  return /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * A clients sheet as people keep them: accents and Windows-1252's 0x80–0x9F characters
 * (œ ’ €), quoted cells holding the delimiter or a line break (one row in 50), French status
 * words, tags in one cell, a column that maps to nothing, and one row in 200 repeating an
 * earlier row's email in another case (a duplicate within the file). Deterministic per seed.
 */
export function clientSheet(rows: number, flavour: SheetFlavour, seed: string): Buffer {
  const prng = new Prng(seed);
  const delimiter = flavour === 'excel-windows-1252' ? ';' : ',';
  const lines = [['Nom', 'Société', 'Courriel', 'Téléphone', 'Statut', 'Étiquettes', 'Commentaires', 'Ville'].join(delimiter)];
  const emails: string[] = [];
  for (let n = 0; n < rows; n += 1) {
    const first = prng.pick(FIRST_NAMES.fr);
    const last = prng.pick(LAST_NAMES.fr);
    const email = n % 200 === 199 ? emails[n - 100]!.toUpperCase() : `${mailbox(`${first}.${last}`)}.${n}@${mailbox(seed)}.exemple.fr`;
    emails.push(email);
    // Another mobile prefix per flavour: the second sheet must not match the first one's phones.
    const phone = `${flavour === 'excel-windows-1252' ? '06' : '07'} ${String(n)
      .padStart(8, '0')
      .replace(/(\d\d)(?=\d)/g, '$1 ')}`;
    const note = n % 50 === 0 ? `Notes du salon;\r\nsuite le ${n % 28} mars` : prng.pick(NOTES);
    const cells = [
      `${first} ${last}`,
      n % 3 === 0 ? `Œuvres ${last} & Fils` : '',
      email,
      phone,
      prng.pick(STATUS_WORDS),
      `${prng.pick(TAGS)}; ${prng.pick(TAGS)}`,
      note,
      prng.pick(CITIES.fr),
    ];
    lines.push(cells.map((cell) => quoted(cell, delimiter)).join(delimiter));
  }
  const text = lines.join('\r\n') + '\r\n';
  return flavour === 'excel-windows-1252'
    ? iconv.encode(text, 'windows-1252')
    : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
