/** A table or column name as a quoted SQL identifier, the same on SQLite and PostgreSQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
