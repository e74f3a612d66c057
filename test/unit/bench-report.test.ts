import type { Measurement } from '../../bench/measurement';
import type { BackendResult } from '../../bench/results';
import { renderRatioChart } from '../../bench/report/render-chart';
import { renderMarkdown } from '../../bench/report/render-markdown';

function measurement(rps: number, p50: number): Measurement {
  return {
    rps,
    p50,
    p99: p50 * 2,
    maxLatency: p50 * 3,
    requests: rps * 10,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    statusCounts: {},
    rssMaxMb: 120,
    cpuPercent: 99,
  };
}

function result(size: 'small' | 'large', p50: Record<'S2' | 'S5', number>): BackendResult {
  return {
    backend: 'sqlite',
    size,
    clients: size === 'small' ? 10_000 : 1_000_000,
    exchanges: 0,
    seeder: 'crm seed',
    seedSeconds: 1,
    date: '2026-11-24T00:00:00.000Z',
    gitCommit: 'abc',
    machine: { nproc: 2, cpuModel: 'cpu', memoryGb: 1, node: 'v20', platform: 'Linux', loadAverage: [0, 0, 0], pinned: true },
    generatorCeilingRps: 30_000,
    settings: { connections: 32, warmupSeconds: 3, durationSeconds: 10, runs: 1, logLevel: 'info' },
    searchSql: 'search_text LIKE ?',
    runs: [
      {
        run: 1,
        order: 'app-first',
        loadBefore: [1, 1, 1],
        scenarios: {
          S2: { app: measurement(8000, p50.S2), baseline: measurement(10_000, 1) },
          S5: { app: measurement(900, p50.S5), baseline: measurement(1000, 20) },
        },
      },
    ],
  };
}

describe('bench report', () => {
  it('judges the large size against the small one: p50 growth and the search limit', () => {
    const markdown = renderMarkdown(
      { 'small-sqlite': result('small', { S2: 2, S5: 10 }), 'large-sqlite': result('large', { S2: 4, S5: 15 }) },
      'chart.svg',
    );
    expect(markdown).toContain('| SQLite | S2 one client by random id | 2.00 | 4.00 | 2.00x |');
    expect(markdown).toContain('- SQLite S2 (one client by random id) at 1,000,000 clients: p50 grew 2.00x');
    // S5 is held to its absolute limit (20 ms), not to growth: 15 ms passes although it grew 1.5x.
    expect(markdown).not.toContain('S5 (search q=dupont (limit 20)) at 1,000,000 clients');
    expect(markdown).toContain('![app req/s as a share of the bare baseline](chart.svg)');
  });

  it('draws one bar per measured value, and skips missing ones', () => {
    const svg = renderRatioChart({
      title: 'ratios & targets',
      categories: ['S1', 'S2'],
      series: [
        { label: 'a', color: '#000', values: { S1: 0.5, S2: 0.75 } },
        { label: 'b', color: '#111', values: { S1: 1.2 } },
      ],
      thresholds: [{ value: 0.5, label: '50%' }],
    });
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(3);
    expect(svg).toContain('ratios &amp; targets');
    expect(svg).toContain('>120</text>');
  });
});
