import { loopUtilizationSinceLast, RoundPacing } from '../../src/webhooks/round-pacing';

function keepLoopBusy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('the pacing of webhook rounds', () => {
  it('spaces rounds further apart while requests keep the event loop busy, and closes them up when it is idle', () => {
    // Utilization as the loop reports it between rounds: busy, then idle.
    // 0.75: a server saturated with its database on the same machine waits for it part of the time.
    const readings = [0.97, 0.2, 0.75, 0.6];
    const pacing = new RoundPacing(10, () => readings.shift() ?? 0);
    expect(pacing.gapMs).toBe(10);
    const gaps = [...readings].map(() => {
      pacing.roundStarted();
      return pacing.gapMs;
    });
    expect(gaps).toEqual([200, 10, 200, 10]);
  });

  it('reads a loop kept busy since the last reading as busy', () => {
    const utilization = loopUtilizationSinceLast();
    keepLoopBusy(100);
    expect(utilization()).toBeGreaterThan(0.9);
    const pacing = new RoundPacing(10);
    keepLoopBusy(100);
    pacing.roundStarted();
    expect(pacing.gapMs).toBe(200);
  });
});
