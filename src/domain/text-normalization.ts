/**
 * One definition of "the same letters" for search and for name order, computed in the
 * application so SQLite and PostgreSQL agree whatever their collations: Unicode compatibility
 * decomposition, combining marks removed, lower case (locale-independent). "Hélène" -> "helene".
 */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

// Separates the searchable fields so a search term never matches across two of them.
const FIELD_SEPARATOR = '\u001f';

export function buildSearchText(fields: ReadonlyArray<string | null>): string {
  return fields
    .filter((f): f is string => f !== null && f !== '')
    .map(foldText)
    .join(FIELD_SEPARATOR);
}

/** The search term as it is compared with buildSearchText output; control characters never match. */
export function foldSearchTerm(term: string): string {
  return foldText(term).replace(/\p{Cc}/gu, '');
}

/**
 * The key names are ordered by: folded text, so "alice", "Bob", "Élodie", "Emma" read the way a
 * person expects; the original text breaks ties so the order is total and stable.
 */
export function buildSortName(name: string): string {
  return `${foldText(name)}${FIELD_SEPARATOR}${name}`;
}
