import fs from 'node:fs';

/** The parts of a V8 .cpuprofile (node --cpu-prof) the summary reads. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

/**
 * Self time per function (time spent in the function's own code, not its callees), and per
 * package: where a request's CPU goes, which is what the optimisation work needs first.
 */
export function summariseProfile(file: string, top = 25): { functions: SelfTime[]; packages: SelfTime[]; totalMs: number } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byNode = new Map<number, number>();
  profile.samples.forEach((nodeId, i) => byNode.set(nodeId, (byNode.get(nodeId) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const functions = new Map<string, SelfTime>();
  const packages = new Map<string, SelfTime>();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = byNode.get(node.id) ?? 0;
    if (micros === 0) continue;
    total += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const name = functionName || '(anonymous)';
    add(functions, `${name} ${where}`, name, where, micros);
    const pkg = packageOf(url, name);
    add(packages, pkg, pkg, '', micros);
  }
  const ranked = (map: Map<string, SelfTime>) =>
    [...map.values()]
      .map((entry) => ({ ...entry, ms: Math.round(entry.ms / 100) / 10, share: entry.ms / total }))
      .sort((a, b) => b.ms - a.ms);
  return { functions: ranked(functions).slice(0, top), packages: ranked(packages).slice(0, 15), totalMs: Math.round(total / 1000) };
}

function add(map: Map<string, SelfTime>, key: string, name: string, where: string, micros: number): void {
  const entry = map.get(key) ?? { name, where, ms: 0, share: 0 };
  entry.ms += micros;
  map.set(key, entry);
}

function shorten(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) return url.slice(modules + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  return dist !== -1 ? url.slice(dist + 1) : url.replace(/^file:\/\//, '');
}

/** node_modules/<pkg> (scoped too), the app's own dist/src/<folder>, node internals, or V8. */
function packageOf(url: string, name: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.slice(url.lastIndexOf('node_modules/')));
  if (modules) return modules[1] as string;
  const app = /\/dist\/(src\/[^/]+)/.exec(url);
  if (app) return `app ${app[1]}`;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  if (!url) return name.startsWith('(') ? name : '(native/V8)';
  return url;
}

export function formatProfile(title: string, summary: ReturnType<typeof summariseProfile>): string {
  const lines = [`### ${title} (${summary.totalMs} ms sampled)`, '', '| self ms | share | package |', '|---:|---:|---|'];
  for (const p of summary.packages) lines.push(`| ${p.ms} | ${(p.share * 100).toFixed(1)}% | ${p.name} |`);
  lines.push('', '| self ms | share | function | where |', '|---:|---:|---|---|');
  for (const f of summary.functions) lines.push(`| ${f.ms} | ${(f.share * 100).toFixed(1)}% | ${f.name} | ${f.where} |`);
  return lines.join('\n') + '\n';
}
