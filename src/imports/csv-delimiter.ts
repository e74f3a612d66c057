/** The delimiters a spreadsheet's CSV uses: `,` (English), `;` (French and other decimal-comma locales), tab. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** Lines examined: enough to see past a title-like first line, few enough to stay instant on 20 MB. */
const SAMPLE_LINES = 10;

/**
 * The delimiter of a CSV text: the candidate found most consistently outside quotes on the
 * first lines (the same non-zero count on most of them), ties going to the one seen most.
 * Quoted fields may hold any delimiter and line breaks, so quotes are followed, not skipped.
 * A single-column file has none of them: `,` then, which cannot split anything.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines = countOutsideQuotes(text);
  let best: CsvDelimiter = ',';
  let bestScore = -1;
  for (const delimiter of CSV_DELIMITERS) {
    const counts = lines.map((line) => line[delimiter]);
    const headerCount = counts[0] ?? 0;
    if (headerCount === 0) continue;
    // Lines agreeing with the header's count weigh most; the header count breaks ties.
    const agreeing = counts.filter((count) => count === headerCount).length;
    const score = agreeing * 1000 + headerCount;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

type Counts = Record<CsvDelimiter, number>;

/** Per record (line outside quotes) of the sample, how often each candidate occurs outside quotes. */
function countOutsideQuotes(text: string): Counts[] {
  const lines: Counts[] = [];
  let current: Counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let index = 0; index < text.length && lines.length < SAMPLE_LINES; index += 1) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (char === '\n') {
      if (Object.values(current).some((count) => count > 0) || lines.length === 0) lines.push(current);
      current = { ',': 0, ';': 0, '\t': 0 };
    } else if (char === ',' || char === ';' || char === '\t') current[char] += 1;
  }
  if (lines.length < SAMPLE_LINES && Object.values(current).some((count) => count > 0)) lines.push(current);
  return lines;
}
