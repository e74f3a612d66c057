/** A LIKE pattern (ESCAPE '\') that matches `term` literally anywhere: % and _ are not wildcards. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
