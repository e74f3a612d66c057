import fs from 'node:fs';
import path from 'node:path';
import type { Backend } from '../bench-database';
import type { Size } from '../options';
import { loadResult } from '../results';
import { SCENARIOS } from '../scenarios';
import { ROOT } from '../seed-database';
import { summarise } from '../summary';
import { renderRatioChart, type ChartSeries } from './render-chart';
import { writeFeaturesReport } from './features-report';
import { renderMarkdown, type ResultSet } from './render-markdown';

const DOC = path.join(ROOT, 'docs/benchmarks.md');
const CHART = path.join(ROOT, 'docs/benchmarks-chart.svg');

const COLORS: Record<`${Size}-${Backend}`, string> = {
  'small-sqlite': '#2e86de',
  'small-postgres': '#10ac84',
  'large-sqlite': '#9fc5f0',
  'large-postgres': '#8fd9c2',
};

/** Regenerates docs/benchmarks.md and docs/benchmarks-chart.svg from bench/results/*.json. */
export function writeReport(): string[] {
  const results: ResultSet = {};
  for (const size of ['small', 'large'] as const) {
    for (const backend of ['sqlite', 'postgres'] as const) {
      const result = loadResult(size, backend);
      if (result) results[`${size}-${backend}`] = result;
    }
  }
  const series: ChartSeries[] = [];
  for (const [key, result] of Object.entries(results) as Array<[`${Size}-${Backend}`, NonNullable<ResultSet[`${Size}-${Backend}`]>]>) {
    const values: Record<string, number> = {};
    for (const s of summarise(
      result,
      SCENARIOS.map((x) => x.id),
    ))
      values[s.id] = s.ratio;
    const label = `${result.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${result.clients.toLocaleString('en-US')} clients`;
    series.push({ label, color: COLORS[key], values });
  }
  const svg = renderRatioChart({
    title: 'App throughput as a share of the bare baseline (median of runs)',
    categories: SCENARIOS.map((s) => s.id),
    series,
    thresholds: [
      { value: 0.5, label: 'target 50%' },
      { value: 0.6, label: 'S2, S4 target 60%' },
    ],
  });
  fs.writeFileSync(CHART, svg);
  fs.writeFileSync(DOC, renderMarkdown(results, path.basename(CHART)));
  return [DOC, CHART, writeFeaturesReport()];
}
