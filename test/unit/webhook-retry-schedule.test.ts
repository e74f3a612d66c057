import { failingCutoff, nextAttemptAt } from '../../src/webhooks/retry-schedule';

describe('the retry schedule', () => {
  const delays = [5_000, 60_000];
  const at = '2026-11-24T18:00:00.000Z';
  const offset = (next: string | null) => (next === null ? null : Date.parse(next) - Date.parse(at));

  it('waits the delay of the attempt just made, within ±10%', () => {
    expect(offset(nextAttemptAt(1, at, delays, () => 0))).toBe(4_500);
    expect(offset(nextAttemptAt(1, at, delays, () => 0.5))).toBe(5_000);
    expect(offset(nextAttemptAt(2, at, delays, () => 0.999999))).toBe(66_000);
  });

  it('gives up after the last delay', () => {
    expect(nextAttemptAt(3, at, delays)).toBeNull();
    expect(nextAttemptAt(1, at, [])).toBeNull();
  });

  it('switches off after 24 hours of failures', () => {
    expect(failingCutoff(at)).toBe('2026-11-23T18:00:00.000Z');
  });
});
