import { RoundPacing } from '../../src/webhooks/round-pacing';

function keepLoopBusy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('the pacing of webhook rounds', () => {
  it('spaces rounds further apart while requests keep the event loop busy, and closes them up when it is idle', async () => {
    const pacing = new RoundPacing(10);
    expect(pacing.gapMs).toBe(10);
    keepLoopBusy(100);
    pacing.roundStarted();
    expect(pacing.gapMs).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    pacing.roundStarted();
    expect(pacing.gapMs).toBe(10);
  });
});
