import { latencySummary, median, percentileOfSorted, ratio, SampleBuffer } from '../../bench/stats';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(RangeError);
  });

  it('does not reorder the caller list', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('reads nearest-rank percentiles: a latency some request really had', () => {
    const sorted = Array.from({ length: 100 }, (_v, i) => i + 1);
    expect(percentileOfSorted(sorted, 50)).toBe(50);
    expect(percentileOfSorted(sorted, 99)).toBe(99);
    expect(percentileOfSorted(sorted, 100)).toBe(100);
    expect(percentileOfSorted([5, 9], 99)).toBe(9);
    expect(percentileOfSorted([], 50)).toBeNaN();
  });

  it('summarises unsorted float latencies without losing sub-millisecond precision', () => {
    const buffer = new SampleBuffer();
    // More than the initial capacity, so growth is exercised too.
    for (let i = 100_000; i >= 1; i--) buffer.push(i / 1000);
    expect(buffer.length).toBe(100_000);
    expect(latencySummary(buffer.values())).toEqual({ p50: 50, p99: 99, max: 100 });
  });

  it('has no ratio against a baseline that answered nothing', () => {
    expect(ratio(50, 100)).toBe(0.5);
    expect(ratio(50, 0)).toBeNaN();
  });
});
