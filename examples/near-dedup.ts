// %% [markdown]
// # Near-duplicates: MinHash signatures, clusters, and the recipe step
// Compute RedPajama v2's MinHash signatures as signals, find the clusters of near-duplicate
// documents with `dedup()`, look at one cluster's members side by side, then do the same as a
// `dedup:` step of a recipe.
//
// Run with `node --import tsx examples/near-dedup.ts [OUT_DIR [INPUT...]]`. Without inputs it reads
// the SpamAssassin spam bodies of the test corpus (`../shared/corpus`, beside the checkout): spam
// campaigns send the same mail many times with small edits.

// %%
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { computeSignals, dedup, readDocuments, readParquetBatches, runRecipe, stripExtensions } from '../src/index.js';

const SPAM = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz');
const [out = mkdtempSync(join(tmpdir(), 'sieve-near-dedup-')), ...given] = process.argv.slice(2);
const inputs = given.length > 0 ? given : [SPAM];
const missing = inputs.find((input) => !existsSync(input));
if (missing) {
  console.error(`${missing} is missing: pass INPUT files, or put the shared test corpus beside the checkout`);
  process.exit(2);
}
mkdirSync(out, { recursive: true });

// %% [markdown]
// ## Signatures as signals
// The `minhash` family gives RPv2's four signature columns, `signature_sim1.0` … `signature_sim0.7`:
// each holds the document's 128 MinHash values (over its 13-word shingles) cut into the LSH bands
// of one Jaccard threshold: 1.0 keeps them as one band, the full signature; 0.8 cuts 9 bands of 13
// values. Documents under 13 words have none.

// %%
const signatures = join(out, 'signatures');
await computeSignals({ inputs, out: signatures, signals: ['minhash'], workers: 2 });
const signatureFiles = inputs.map((input) => join(signatures, `${stripExtensions(basename(input))}.signals.parquet`));
const fullSignature = new Map<string, Uint8Array>();
for (const file of signatureFiles) {
  for await (const table of readParquetBatches(file, { columns: ['id', 'signature_sim1.0'] })) {
    for (const row of table) {
      const bands = row['signature_sim1.0'] as { get(i: number): Uint8Array } | null;
      if (bands) fullSignature.set(String(row.id), bands.get(0));
    }
  }
}
console.log(`signatures: ${fullSignature.size} documents with 13 words or more → ${signatures}`);

// %% [markdown]
// ## Clusters
// `dedup()` reads the signature files (or the documents themselves, hashing them on the way), links
// two documents when any band of the 0.8 column is equal, and takes connected components as
// clusters. It keeps one member per cluster, the one with the smallest `id_int` as RPv2 does, and
// lists the others in `duplicates/`.

// %%
const found = await dedup({ inputs: signatureFiles, out: join(out, 'dedup'), threshold: 0.8, workers: 2 });
const d = found.manifest.totals;
console.log(`dedup: ${d.documents} documents, ${d.clusters} clusters of ${d.clusterMembers} members, ${d.duplicates} duplicates to drop`);

const clusters = new Map<bigint, string[]>();
for await (const table of readParquetBatches(join(out, 'dedup', 'clusters.parquet'), { columns: ['id', 'cluster_id'] })) {
  for (const row of table) {
    const members = clusters.get(row.cluster_id as bigint) ?? [];
    members.push(String(row.id));
    clusters.set(row.cluster_id as bigint, members);
  }
}
const sizes = new Map<number, number>();
for (const members of clusters.values()) sizes.set(members.length, (sizes.get(members.length) ?? 0) + 1);
console.log(`cluster sizes: ${[...sizes].sort(([a], [b]) => a - b).map(([size, n]) => `${n}×${size}`).join(', ')}`);

// %% [markdown]
// ## One cluster, side by side
// The largest cluster (ties: the smallest cluster id). How alike each member is to the first: the
// share of the 128 MinHash values they share, an estimate of the Jaccard similarity of their
// 13-word shingle sets. Then the first member and the one least like it, line by line (`≠` marks
// lines that differ).

// %%
const [clusterId, members] = [...clusters].sort(([a, ma], [b, mb]) => mb.length - ma.length || (a < b ? -1 : 1))[0];
function estimatedJaccard(a: Uint8Array, b: Uint8Array): number {
  const [x, y] = [new DataView(a.buffer, a.byteOffset, a.length), new DataView(b.buffer, b.byteOffset, b.length)];
  let same = 0;
  for (let i = 0; i < a.length; i += 4) if (x.getUint32(i) === y.getUint32(i)) same++;
  return same / (a.length / 4);
}
const similarity = new Map(members.map((id) => [id, estimatedJaccard(fullSignature.get(members[0])!, fullSignature.get(id)!)]));
console.log(`largest cluster ${clusterId}: ${members.length} members`);
for (const id of members) console.log(`  ${id.padEnd(36)} estimated Jaccard with the first ${similarity.get(id)!.toFixed(2)}`);

const [first, leastAlike] = [members[0], members.slice(1).reduce((a, b) => (similarity.get(b)! < similarity.get(a)! ? b : a))];
const texts = new Map<string, string>();
for (const input of inputs) {
  for await (const batch of readDocuments(input)) for (const doc of batch.documents) if (doc.id === first || doc.id === leastAlike) texts.set(doc.id, doc.text);
}
const WIDTH = 48;
const lines = (id: string) => texts.get(id)!.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l !== '');
const [left, right] = [lines(first), lines(leastAlike)];
console.log(`  ${first.padEnd(WIDTH)}   ${leastAlike}`);
for (let i = 0; i < Math.min(Math.max(left.length, right.length), 16); i++) {
  const [l = '', r = ''] = [left[i], right[i]];
  console.log(`  ${l.slice(0, WIDTH).padEnd(WIDTH)} ${l === r ? '│' : '≠'} ${r.slice(0, WIDTH)}`);
}

// %% [markdown]
// ## The same as a recipe step
// A recipe's `dedup:` step does all of the above on the documents that reach it (here: all of them),
// and counts what it drops under the step's name in the manifest. It drops exactly the documents
// `dedup()` listed.

// %%
const recipe = join(out, 'near-dedup.yaml');
writeFileSync(recipe, 'name: near-dedup\nsteps:\n  - dedup: { name: near_duplicates, method: minhash, threshold: 0.8 }\n');
const run = await runRecipe({ recipe, inputs, out: join(out, 'run'), workers: 2 });
const t = run.manifest.totals;
console.log(`recipe: kept ${t.kept} of ${t.documents}; dropped ${JSON.stringify(t.dropped)} → ${join(out, 'run', 'kept')}`);
assert.equal(t.dropped.near_duplicates, d.duplicates);
assert.equal(t.kept, d.documents - d.duplicates);
