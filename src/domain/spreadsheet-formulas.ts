/*
 * A spreadsheet runs a cell that begins with = + - or @ (and, in some, tab or carriage return)
 * as a formula: a client named `=HYPERLINK("http://evil", "Click")` would become a link, or
 * worse, on the accountant's machine (CSV injection, OWASP). Such cells are exported with a
 * leading apostrophe, which spreadsheets show as text, and imported back without it. Values of
 * digits, spaces and phone punctuation only (`+33 6 12 34 56 78`, `-12.5`) cannot call anything
 * and stay as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER_LIKE = /^[+-]?[\d\s()./-]*$/;

/** The cell as an export writes it: a leading apostrophe before what would run as a formula. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) && !NUMBER_LIKE.test(cell) ? `'${cell}` : cell;
}

/** The cell as it was before an export neutralised it, so an export imported back gives the values it was made of. */
export function unneutraliseFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
