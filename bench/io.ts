/**
 * Read+parse throughput of the document readers: JSON lines (gzip, zstd, plain) and Parquet.
 * Builds a ~100 MB corpus by repeating the web documents, then times `readDocuments` over each
 * encoding (best of 3) and prints MB/s of uncompressed JSON, docs/s and peak RSS.
 *
 *   npm run bench:io [-- --repeat 6]
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as arrow from 'apache-arrow';
import { compress as zstdCompress } from 'zstd-napi';
import { readDocuments } from '../src/io/read-documents.js';
import { writeParquet } from '../src/io/parquet-writer.js';

const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 6;
const source = resolve(import.meta.dirname, '..', '..', 'shared', 'corpus', 'web', 'web_docs.jsonl.gz');
const dir = resolve(import.meta.dirname, '..', '.bench', 'io');
mkdirSync(dir, { recursive: true });

const lines = gunzipSync(readFileSync(source)).toString('utf8').split('\n').filter(Boolean);
const records = Array.from({ length: repeat }, (_, r) => lines.map((l) => {
  const o = JSON.parse(l) as Record<string, unknown>;
  return JSON.stringify({ ...o, id: `${String(o.id)}#${r}` });
})).flat();
const plain = Buffer.from(records.join('\n') + '\n');
const files = {
  'jsonl': join(dir, 'bench.jsonl'),
  'jsonl.gz': join(dir, 'bench.jsonl.gz'),
  'jsonl.zst': join(dir, 'bench.jsonl.zst'),
  'parquet (zstd)': join(dir, 'bench.parquet'),
};
writeFileSync(files.jsonl, plain);
writeFileSync(files['jsonl.gz'], gzipSync(plain));
writeFileSync(files['jsonl.zst'], zstdCompress(plain));
const objects = records.map((r) => JSON.parse(r) as { id: string; text: string; url?: string });
async function* tables(): AsyncGenerator<arrow.RecordBatch> {
  for (let i = 0; i < objects.length; i += 5000) {
    const slice = objects.slice(i, i + 5000);
    const t = arrow.tableFromArrays({ id: slice.map((o) => o.id), text: slice.map((o) => o.text), url: slice.map((o) => o.url ?? null) });
    yield* t.batches;
  }
}
await writeParquet(files['parquet (zstd)'], tables());

const mb = plain.length / 1e6;
console.log(`corpus: ${objects.length} docs, ${mb.toFixed(1)} MB of JSON lines (web_docs × ${repeat})`);
console.log('format            file MB   best s   MB/s (uncompressed)   docs/s    peak RSS MB');
for (const [name, path] of Object.entries(files)) {
  let best = Infinity;
  let docs = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    docs = 0;
    for await (const batch of readDocuments(path)) docs += batch.documents.length;
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  if (docs !== objects.length) throw new Error(`${name}: read ${docs} docs, expected ${objects.length}`);
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`${name.padEnd(16)} ${(statSync(path).size / 1e6).toFixed(1).padStart(8)} ${best.toFixed(2).padStart(8)} ${(mb / best).toFixed(0).padStart(8)} ${Math.round(docs / best).toString().padStart(22)} ${rss.toFixed(0).padStart(12)}`);
}
