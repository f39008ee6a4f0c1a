// %% [markdown]
// # Quickstart: signals, their distributions, then a recipe
// Compute RedPajama v2 quality signals for a small fixture, look at a few of them and at how one is
// distributed, then keep the documents that pass the C4 recipe and write its report.
// Run with `node --import tsx examples/quickstart.ts [OUT_DIR]`.

// %%
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport, computeSignals, readParquetBatches, runRecipe } from '../src/index.js';

const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'sieve-quickstart-'));
const input = join(import.meta.dirname, '..', 'fixtures', 'quickstart.jsonl');

// %% [markdown]
// Signals: one Parquet file per input shard, one row per document, one column per signal.

// %%
const signals = await computeSignals({ inputs: [input], out: join(out, 'signals'), workers: 1 });
console.log(`signals for ${signals.manifest.totals.documents} documents → ${join(out, 'signals')}`);
const wordCounts: number[] = [];
for await (const table of readParquetBatches(join(out, 'signals', 'quickstart.signals.parquet'), { columns: ['id', 'rps_doc_word_count', 'rps_doc_frac_unique_words'] })) {
  for (const row of table) {
    console.log(`  ${String(row.id).padEnd(8)} words ${String(row.rps_doc_word_count).padStart(4)}  unique ${row.rps_doc_frac_unique_words ?? 'null'}`);
    wordCounts.push(Number(row.rps_doc_word_count));
  }
}

// %% [markdown]
// A distribution: documents by word count, in bins of 10 words. Gopher keeps 50 words and up;
// this fixture is snippets.

// %%
const bins = new Map<number, number>();
for (const n of wordCounts) {
  const lo = Math.floor(n / 10) * 10;
  bins.set(lo, (bins.get(lo) ?? 0) + 1);
}
for (const [lo, n] of [...bins].sort(([a], [b]) => a - b)) console.log(`  ${String(lo).padStart(3)}–${String(lo + 9).padEnd(3)} words ${'#'.repeat(n)} ${n}`);

// %% [markdown]
// A recipe: C4's line and page rules. The manifest says what each rule dropped.

// %%
const run = await runRecipe({ recipe: join(import.meta.dirname, '..', 'recipes', 'c4.yaml'), inputs: [input], out: join(out, 'c4'), workers: 1 });
const t = run.manifest.totals;
console.log(`c4 kept ${t.kept} of ${t.documents}; dropped ${JSON.stringify(t.dropped)}`);

// %% [markdown]
// The report: one HTML file with where each rule cuts each signal, the funnel, what only each rule
// drops, and sample documents (the same as `sieve report out/c4`).

// %%
const report = await buildReport({ run: join(out, 'c4'), workers: 1 });
console.log(`report → ${report.path}`);
