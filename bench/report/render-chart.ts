/**
 * A small SVG bar chart of the app/baseline ratios, written by hand: one dependency less, and
 * the output is plain text that diffs well and renders anywhere (GitHub, rsvg-convert, browsers).
 */
export interface ChartSeries {
  label: string;
  color: string;
  /** Ratio per category (scenario); missing categories leave a gap. */
  values: Record<string, number | undefined>;
}

interface ChartSpec {
  title: string;
  categories: string[];
  series: ChartSeries[];
  /** Horizontal reference lines, e.g. the 50% and 60% targets. */
  thresholds: Array<{ value: number; label: string }>;
}

const WIDTH = 860;
const HEIGHT = 420;
const MARGIN = { top: 64, right: 24, bottom: 56, left: 76 };

export function renderRatioChart(spec: ChartSpec): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = spec.series.flatMap((s) => Object.values(s.values).filter((v): v is number => v !== undefined && Number.isFinite(v)));
  // Round the axis up to the next 0.25 above the data (at least 1.0 so 100% is always shown).
  const top = Math.max(1, Math.ceil((Math.max(0, ...values) * 1.1) / 0.25) * 0.25);
  const y = (v: number) => MARGIN.top + plotHeight - (Math.max(0, v) / top) * plotHeight;
  const group = plotWidth / Math.max(1, spec.categories.length);
  const bar = Math.min(40, (group * 0.8) / Math.max(1, spec.series.length));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escape(spec.title)}</text>`,
  ];
  for (let tick = 0; tick <= top + 1e-9; tick += 0.25) {
    const ty = y(tick).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#e5e5e5"/>`);
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle" fill="#555">${Math.round(tick * 100)}%</text>`,
    );
  }
  spec.categories.forEach((category, i) => {
    const start = MARGIN.left + i * group + (group - bar * spec.series.length) / 2;
    spec.series.forEach((series, j) => {
      const value = series.values[category];
      if (value === undefined || !Number.isFinite(value)) return;
      const x = start + j * bar;
      const barTop = y(value);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${barTop.toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(y(0) - barTop).toFixed(1)}" fill="${series.color}"><title>${escape(`${series.label} ${category}: ${Math.round(value * 100)}%`)}</title></rect>`,
      );
      parts.push(
        `<text x="${(x + (bar - 2) / 2).toFixed(1)}" y="${(barTop - 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">${Math.round(value * 100)}</text>`,
      );
    });
    parts.push(
      `<text x="${(MARGIN.left + i * group + group / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${escape(category)}</text>`,
    );
  });
  const dashes = ['6 4', '2 3'];
  spec.thresholds.forEach((threshold, k) => {
    const ty = y(threshold.value).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#c0392b" stroke-dasharray="${dashes[k % 2]}"/>`,
    );
    // Labelled in a legend row of their own: a label on the line would sit on the bars.
    const lx = MARGIN.left + k * 190;
    const ly = 44;
    parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="#c0392b" stroke-dasharray="${dashes[k % 2]}"/>`);
    parts.push(`<text x="${lx + 30}" y="${ly}" font-size="11" fill="#c0392b">${escape(threshold.label)}</text>`);
  });
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#333"/>`);
  spec.series.forEach((series, j) => {
    const lx = MARGIN.left + j * 190;
    const ly = HEIGHT - 16;
    parts.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${series.color}"/>`);
    parts.push(`<text x="${lx + 18}" y="${ly}">${escape(series.label)}</text>`);
  });
  parts.push(
    `<text x="18" y="${MARGIN.top + plotHeight / 2}" transform="rotate(-90 18 ${MARGIN.top + plotHeight / 2})" text-anchor="middle" fill="#555">app req/s as % of the bare baseline</text>`,
  );
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
