// %% [markdown]
// # A recipe over RedPajama v2 shards
// RedPajama v2 ships each shard twice: the documents (`documents/2023-06/0000/en_head.json.gz`,
// CCNet records with `raw_content`) and their quality signals, computed once by Together
// (`quality_signals/2023-06/0000/en_head.signals.json.gz`). A recipe over them reads the published
// signals instead of computing them again, joined to the documents by their RPv2 ids.
//
// Run with `node --import tsx examples/rpv2-shards.ts [RPV2_ROOT [OUT_DIR]]`, where RPV2_ROOT holds
// `documents/` and `quality_signals/` as downloaded. Without it, the example lays out two shards of
// `fixtures/quickstart.jsonl` in that form first.

// %%
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { computeSignals, runRecipe } from '../src/index.js';

const out = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'sieve-rpv2-'));
const root = process.argv[2] ?? layOutFixture(join(out, 'rpv2'));

// %% [markdown]
// Only when no RPv2 root is given: CCNet-style records in the RPv2 layout, two shards, and their
// signals in RPv2's own `quality_signals` format (`sieve signals --format rpv2` writes it).

// %%
function layOutFixture(dir: string): string {
  const records = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'quickstart.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; url: string });
  records.forEach((r, i) => {
    const shard = join(dir, 'documents', '2023-06', i < 5 ? '0000' : '0001');
    mkdirSync(shard, { recursive: true });
    const ccnet = { url: r.url, raw_content: r.text, nlines: r.text.split('\n').length, length: r.text.length, language: 'en', bucket: 'head' };
    writeFileSync(join(shard, 'en_head.json.gz'), gzipSync(JSON.stringify(ccnet) + '\n'), { flag: 'a' });
  });
  return dir;
}
if (process.argv[2] === undefined) {
  await computeSignals({ inputs: [join(root, 'documents')], out: join(root, 'quality_signals'), format: 'rpv2', workers: 1 });
}

// %% [markdown]
// The recipe: the Gopher rules exactly as the RPv2 dataset card writes `gopher_rules_pass`. With
// `signals`, each shard's `quality_signals` file is found by its path and joined by id. (The
// fixture's documents are snippets under Gopher's 50 words, so its first rule drops them all.)

// %%
const run = await runRecipe({
  recipe: join(import.meta.dirname, '..', 'recipes', 'rpv2-gopher.yaml'),
  inputs: [join(root, 'documents')],
  signals: [join(root, 'quality_signals')],
  out: join(out, 'gopher'),
  workers: 2,
});
for (const shard of run.manifest.inputs) {
  console.log(`${shard.name}: kept ${shard.kept} of ${shard.documents}, signals from ${shard.signalsFrom ?? 'computed'}`);
}
const t = run.manifest.totals;
console.log(`rpv2-gopher kept ${t.kept} of ${t.documents} → ${join(out, 'gopher', 'kept')}`);
console.log(`dropped by rule: ${JSON.stringify(t.dropped)}`);
