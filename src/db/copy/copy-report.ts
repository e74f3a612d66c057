/** Source and target of one table, side by side. */
export interface TableComparison {
  readonly table: string;
  readonly sourceRows: number;
  /** null when the target was not read (dry run). */
  readonly targetRows: number | null;
  readonly sourceChecksum: string | null;
  readonly targetChecksum: string | null;
}

export type CopyMode = 'copy' | 'dry-run' | 'verify-only';

export interface CopyReport {
  readonly mode: CopyMode;
  readonly from: string;
  readonly to: string;
  readonly tables: readonly TableComparison[];
  /** Whether the rows are now in the target (copy mode, every table matched). */
  readonly committed: boolean;
  readonly elapsedMs: number;
  readonly notes: readonly string[];
}

export function tableMatches(table: TableComparison): boolean {
  return table.sourceRows === table.targetRows && table.sourceChecksum !== null && table.sourceChecksum === table.targetChecksum;
}

/** A dry run compares nothing, so it "matches" when it found nothing in the way. */
export function reportOk(report: CopyReport): boolean {
  return report.mode === 'dry-run' || report.tables.every(tableMatches);
}

/** The per-table report, in plain text (no URL password: the locations are redacted upstream). */
export function formatCopyReport(report: CopyReport): string[] {
  const number = (n: number | null) => (n === null ? '-' : n.toLocaleString('en-US'));
  const rows = report.tables.map((table) => [
    table.table,
    number(table.sourceRows),
    number(table.targetRows),
    report.mode === 'dry-run' ? '-' : tableMatches(table) ? `match ${table.sourceChecksum?.slice(0, 12)}` : 'MISMATCH',
  ]);
  const header = ['table', 'source rows', 'target rows', 'checksum'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === 3 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [`From: ${report.from}`, `To:   ${report.to}`, '', line(header), ...rows.map(line), ''];
  for (const note of report.notes) lines.push(note);
  lines.push(verdict(report));
  return lines;
}

function verdict(report: CopyReport): string {
  const seconds = `${(report.elapsedMs / 1000).toFixed(1)} s`;
  if (report.mode === 'dry-run') return `✓ Dry run: nothing was written (${seconds}).`;
  if (!reportOk(report)) {
    return report.mode === 'copy'
      ? `✗ Verification failed: the copy was rolled back, the target holds no copied rows (${seconds}).`
      : `✗ Source and target differ (${seconds}).`;
  }
  return report.mode === 'copy'
    ? `✓ Copied and verified: row counts and checksums match on every table (${seconds}).`
    : `✓ Source and target match: row counts and checksums are equal on every table (${seconds}).`;
}
