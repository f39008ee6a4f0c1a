// %% [markdown]
// # Quickstart: signals, then a recipe
// Compute RedPajama v2 quality signals for a small fixture, look at a few of them, then keep the
// documents that pass the C4 recipe. Run with `node --import tsx examples/quickstart.ts [OUT_DIR]`.

// %%
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeSignals, readParquetBatches, runRecipe } from '../src/index.js';

const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'sieve-quickstart-'));
const input = join(import.meta.dirname, '..', 'fixtures', 'quickstart.jsonl');

// %% [markdown]
// Signals: one Parquet file per input shard, one row per document, one column per signal.

// %%
const signals = await computeSignals({ inputs: [input], out: join(out, 'signals'), workers: 1 });
console.log(`signals for ${signals.manifest.totals.documents} documents → ${join(out, 'signals')}`);
for await (const table of readParquetBatches(join(out, 'signals', 'quickstart.signals.parquet'), { columns: ['id', 'rps_doc_word_count', 'rps_doc_frac_unique_words'] })) {
  for (const row of table) console.log(`  ${String(row.id).padEnd(8)} words ${String(row.rps_doc_word_count).padStart(4)}  unique ${row.rps_doc_frac_unique_words ?? 'null'}`);
}

// %% [markdown]
// A recipe: C4's line and page rules. The manifest says what each rule dropped.

// %%
const run = await runRecipe({ recipe: join(import.meta.dirname, '..', 'recipes', 'c4.yaml'), inputs: [input], out: join(out, 'c4'), workers: 1 });
const t = run.manifest.totals;
console.log(`c4 kept ${t.kept} of ${t.documents}; dropped ${JSON.stringify(t.dropped)}`);
