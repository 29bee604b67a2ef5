import { readFile, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Bench, BenchFigure } from './harness.js';

interface ResultRow {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  goal: string | null;
  pass: boolean | null;
}

const here = path.dirname(fileURLToPath(import.meta.url));

async function loadBenches(): Promise<Bench[]> {
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
  const benches: Bench[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { default: Bench };
    benches.push(mod.default);
  }
  return benches;
}

function toRow(f: BenchFigure): ResultRow {
  const baseline = f.baseline ?? null;
  const ratio = baseline ? Number((f.value / baseline).toFixed(3)) : null;
  return {
    name: f.name,
    value: Number(f.value.toFixed(3)),
    unit: f.unit,
    baseline: baseline === null ? null : Number(baseline.toFixed(3)),
    ratio,
    goal: f.goal ?? null,
    pass: f.pass ?? null,
  };
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const benches = await loadBenches();
  const unknown = wanted.filter((w) => !benches.some((b) => b.name === w));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark(s): ${unknown.join(', ')}; available: ${benches.map((b) => b.name).join(', ')}`,
    );
    process.exit(2);
  }
  const selected = wanted.length ? benches.filter((b) => wanted.includes(b.name)) : benches;
  const rows: ResultRow[] = [];
  for (const bench of selected) {
    console.error(`running ${bench.name} ...`);
    const figures = await bench.run();
    rows.push(...figures.map(toRow));
  }
  console.table(
    rows.map((r) => ({
      figure: r.name,
      value: `${r.value} ${r.unit}`,
      baseline: r.baseline === null ? '' : `${r.baseline} ${r.unit}`,
      ratio: r.ratio ?? '',
      goal: r.goal ?? '',
      pass: r.pass === null ? '' : r.pass ? 'yes' : 'NO',
    })),
  );
  // Figures of benchmarks not run this time are kept, so `npm run bench -- <name>` updates one.
  const file = path.join(here, 'results.json');
  const previous = await readFile(file, 'utf8')
    .then((t) => JSON.parse(t) as ResultRow[])
    .catch(() => [] as ResultRow[]);
  const fresh = new Set(rows.map((r) => r.name));
  const merged = [...previous.filter((r) => !fresh.has(r.name)), ...rows];
  await writeFile(file, JSON.stringify(merged, null, 2) + '\n');
  console.error(`wrote ${path.join('bench', 'results.json')}`);
  process.exit(0);
}

await main();
