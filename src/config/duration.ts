const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;

/**
 * "6h", "30m", "1h30m", "1s" in milliseconds; "0" and "off" are 0. null when the text is not a
 * duration, so the caller can name the setting in its error.
 */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (value === '0' || value === 'off') return 0;
  if (!DURATION.test(value)) return null;
  let total = 0;
  for (const [, amount = '0', unit = 's'] of value.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(amount) * (UNIT_MS[unit] ?? 0);
  return total;
}

/** The shortest way back: 86400000 -> "24h", 5400000 -> "1h30m", 1000 -> "1s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  let rest = ms;
  let text = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit] ?? 1;
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
