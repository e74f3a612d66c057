import { foldText } from '../domain/text-normalization';

/** The client fields a column can fill. */
export const IMPORT_FIELDS = ['name', 'email', 'phone', 'company', 'status', 'tags', 'notes'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Column name -> the field it fills, or null for a column that is not imported. */
export type ColumnMapping = Readonly<Record<string, ImportField | null>>;

/**
 * Header names a spreadsheet commonly uses for each field, English and French, folded (see
 * foldHeader): case, accents, spaces, hyphens, dots and apostrophes do not matter.
 */
const HEADER_SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  name: ['name', 'nom', 'fullname', 'nomcomplet', 'contact', 'nomducontact', 'contactname'],
  email: ['email', 'courriel', 'mail', 'adressemail', 'adresseemail', 'emailaddress', 'adressecourriel'],
  phone: ['phone', 'telephone', 'tel', 'mobile', 'portable', 'phonenumber', 'numerodetelephone', 'gsm', 'cellphone'],
  company: ['company', 'societe', 'entreprise', 'organisation', 'organization', 'companyname', 'raisonsociale'],
  status: ['status', 'statut', 'etat'],
  tags: ['tags', 'tag', 'etiquettes', 'etiquette', 'labels', 'label', 'motscles'],
  notes: ['notes', 'note', 'commentaire', 'commentaires', 'remarques', 'remarque', 'comments', 'comment'],
};

const FIELD_OF_HEADER = new Map<string, ImportField>(
  Object.entries(HEADER_SYNONYMS).flatMap(([field, names]) => names.map((name) => [name, field as ImportField] as const)),
);

/** A header name as it is matched: folded (case and accents), without spaces, hyphens, underscores, dots or apostrophes. */
export function foldHeader(name: string): string {
  return foldText(name).replace(/[\s\-_.'’]/gu, '');
}

/**
 * The mapping suggested for a header row: each column whose name is a known synonym fills
 * that field, the first such column winning (a second "Mobile" after "Téléphone" maps to
 * nothing); every other column maps to nothing.
 */
export function suggestMapping(columns: readonly string[]): ColumnMapping {
  const taken = new Set<ImportField>();
  const mapping: Record<string, ImportField | null> = {};
  for (const column of columns) {
    const field = FIELD_OF_HEADER.get(foldHeader(column)) ?? null;
    mapping[column] = field !== null && !taken.has(field) ? field : null;
    if (field !== null) taken.add(field);
  }
  return mapping;
}

/** The problems of a mapping, each with its path in the request (`mapping.<column>`). */
export interface MappingProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The mapping a commit uses: the suggested one, with the columns the caller names mapped their
 * way (null: not imported). Problems: a column the file does not have, a field filled by two
 * columns, and no column filling name (every row would fail).
 */
export function resolveMapping(
  columns: readonly string[],
  suggested: ColumnMapping,
  overrides: ColumnMapping | undefined,
): { mapping: ColumnMapping; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const mapping: Record<string, ImportField | null> = { ...suggested };
  for (const [column, field] of Object.entries(overrides ?? {})) {
    if (!columns.includes(column)) problems.push({ path: `mapping.${column}`, message: 'is not a column of the file' });
    else mapping[column] = field;
  }
  const columnsOf = new Map<ImportField, string[]>();
  for (const column of columns) {
    const field = mapping[column];
    if (field) columnsOf.set(field, [...(columnsOf.get(field) ?? []), column]);
  }
  for (const [field, named] of columnsOf) {
    if (named.length > 1) problems.push({ path: `mapping.${named[1]}`, message: `fills ${field}, as ${JSON.stringify(named[0])} does` });
  }
  if (!columnsOf.has('name') && problems.length === 0)
    problems.push({ path: 'mapping', message: 'no column fills name, which every client needs' });
  return { mapping, problems };
}
