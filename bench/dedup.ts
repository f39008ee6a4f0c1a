/**
 * Deduplication at scale and its recall.
 *
 *   npm run bench:dedup                       (node --import tsx bench/dedup.ts [--docs 1000000,10000000] [--memory 1GB] [--no-recall])
 *
 * 1. Recall on ../shared/corpus/neardup/neardup_pairs.jsonl.gz: `dedup()` at each RPv2 threshold over
 *    the web, DCLM and spam corpora, then for every measured pair whether both documents ended up in
 *    one cluster, by exact 5-gram Jaccard bucket.
 * 2. Scale: for each `--docs` count, writes RPv2-layout `*.minhash.parquet` shards (250,000 rows each)
 *    of random `signature_sim0.8` bands with planted clusters (1 % of documents are a cluster's seed,
 *    with 1 to 4 variants that each keep one random band of the seed and change every other), runs
 *    the built CLI `sieve dedup --threshold 0.8 --memory M` under /usr/bin/time and prints wall
 *    time, peak RSS, and whether every planted cluster was found exactly (and nothing else).
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { dedup } from '../src/dedup/dedup.js';
import { readParquetBatches } from '../src/io/parquet.js';
import { writeParquet } from '../src/io/parquet-writer.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const COUNTS = arg('--docs', '1000000').split(',').map(Number).filter((n) => n > 0);
const MEMORY = arg('--memory', '1GB');
const ROOT = join(import.meta.dirname, '..');
const WORK = join(ROOT, '.bench', 'dedup');
const SHARED = join(ROOT, '..', 'shared');

function readJsonlGz(path: string): Record<string, unknown>[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
}


async function clusterOf(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const t of readParquetBatches(join(dir, 'clusters.parquet'), { columns: ['id', 'cluster_id'] })) {
    const ids = t.getChild('id')!;
    const cl = t.getChild('cluster_id')!;
    for (let i = 0; i < t.numRows; i++) out.set(String(ids.get(i)), String(cl.get(i)));
  }
  return out;
}

async function recall(): Promise<void> {
  const pairs = readJsonlGz(join(SHARED, 'corpus', 'neardup', 'neardup_pairs.jsonl.gz'));
  const inputs = ['web/web_docs', 'quality/dclm_human_quality', 'spam/spamassassin_spam_bodies'].map((c) => join(SHARED, 'corpus', `${c}.jsonl.gz`));
  const buckets = ['[0.5,0.6)', '[0.6,0.7)', '[0.7,0.8)', '[0.8,0.9)', '[0.9,1.0)', '1.0'];
  const bucketOf = (j: number) => (j >= 1 ? 5 : Math.min(4, Math.floor(j * 10) - 5));
  const totals = new Array<number>(buckets.length).fill(0);
  for (const p of pairs) totals[bucketOf(Number(p.jaccard_5gram_words))]++;
  console.log(`recall on ${pairs.length} measured near-duplicate pairs (share of pairs put in one cluster), by exact 5-gram Jaccard`);
  console.log(['threshold', ...buckets.map((b, i) => `${b} n=${totals[i]}`)].join('\t'));
  for (const threshold of [1.0, 0.9, 0.8, 0.7]) {
    const out = join(WORK, `recall-${threshold}`);
    await dedup({ inputs, out, threshold, workers: 2 });
    const clusters = await clusterOf(out);
    const hits = new Array<number>(buckets.length).fill(0);
    for (const p of pairs) {
      const a = clusters.get(String(p.a));
      if (a !== undefined && a === clusters.get(String(p.b))) hits[bucketOf(Number(p.jaccard_5gram_words))]++;
    }
    console.log([threshold.toFixed(1), ...hits.map((h, i) => `${((100 * h) / Math.max(totals[i], 1)).toFixed(1)} %`)].join('\t'));
  }
}

/** xoshiro128**: fast, seeded (through splitmix32), period 2^128 − 1, the same stream on every run. */
function rng(seed: number): () => number {
  let z = seed >>> 0;
  const split = () => {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z ^ (z >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const BANDS = 9;
const BAND_BYTES = 52;
const SHARD_ROWS = 250_000;

async function scale(n: number): Promise<void> {
  const dir = join(WORK, `synthetic-${n}`);
  const truth = `${dir}.done.json`;
  const planted = new Int32Array(n).fill(-1);
  let clusters = 0;
  if (!existsSync(truth)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const started = performance.now();
  const next = rng(n);
  const signature = new Uint8Array(BANDS * BAND_BYTES);
  const seed = new Uint8Array(BANDS * BAND_BYTES);
  const fill = (a: Uint8Array) => {
    const w = new Uint32Array(a.buffer, a.byteOffset, a.length / 4);
    for (let i = 0; i < w.length; i++) w[i] = next();
  };
  // Assign clusters first (deterministic), so the files can be reused across runs.
  for (let d = 0; d < n; ) {
    if (next() % 100 === 0) {
      const size = 2 + (next() % 4);
      for (let k = 0; k < size && d < n; k++) planted[d++] = clusters;
      clusters++;
    } else d++;
  }
  if (!existsSync(truth)) {
    for (let shard = 0; shard * SHARD_ROWS < n; shard++) {
      const from = shard * SHARD_ROWS;
      const rows = Math.min(SHARD_ROWS, n - from);
      const values = new Uint8Array(rows * BANDS * BAND_BYTES);
      for (let r = 0; r < rows; r++) {
        const d = from + r;
        const isSeed = planted[d] >= 0 && (d === 0 || planted[d - 1] !== planted[d]);
        if (planted[d] < 0 || isSeed) {
          fill(signature);
          if (isSeed) seed.set(signature);
        } else {
          fill(signature);
          const keep = next() % BANDS;
          signature.set(seed.subarray(keep * BAND_BYTES, (keep + 1) * BAND_BYTES), keep * BAND_BYTES);
        }
        values.set(signature, r * BANDS * BAND_BYTES);
      }
      const name = `shard-${String(shard).padStart(4, '0')}`;
      await writeParquet(join(dir, `${name}.minhash.parquet`), single(minhashBatch(name, from, rows, values)));
    }
    await import('node:fs/promises').then((fs) => fs.writeFile(truth, JSON.stringify({ n, clusters })));
  }
  const genSeconds = (performance.now() - started) / 1000;
  const out = join(WORK, `out-${n}`);
  rmSync(out, { recursive: true, force: true });
  const t0 = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, join(ROOT, 'bin', 'sieve.js'), 'dedup', dir, '--out', out, '--threshold', '0.8', '--memory', MEMORY, '--workers', '2'], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) throw new Error(`sieve dedup failed: ${run.stderr}`);
  const rss = Number(/maxrss_kb=(\d+)/.exec(run.stderr)?.[1] ?? 'NaN') / 1024;
  const found = await clusterOf(out);
  const byCluster = new Map<string, number[]>();
  for (const [id, c] of found) {
    const d = Number(id.slice(id.lastIndexOf('-') + 1));
    let list = byCluster.get(c);
    if (!list) byCluster.set(c, (list = []));
    list.push(d);
  }
  let exact = 0;
  for (const members of byCluster.values()) {
    const p = planted[members[0]];
    if (p >= 0 && members.every((m) => planted[m] === p) && members.length === countOf(planted, members[0])) exact++;
  }
  console.log(
    `${n.toLocaleString('en')} documents (${(n * BANDS * BAND_BYTES / 1e9).toFixed(2)} GB of bands; inputs ${existsSync(truth) && genSeconds < 1 ? 'reused' : `written in ${genSeconds.toFixed(0)} s`}): ` +
      `sieve dedup --memory ${MEMORY} ${seconds.toFixed(1)} s (${Math.round(n / seconds).toLocaleString('en')} docs/s), peak RSS ${rss.toFixed(0)} MB; ` +
      `planted clusters ${clusters.toLocaleString('en')}, found ${byCluster.size.toLocaleString('en')}, exactly matching ${exact.toLocaleString('en')}`,
  );
}

function countOf(planted: Int32Array, d: number): number {
  let a = d;
  while (a > 0 && planted[a - 1] === planted[d]) a--;
  let b = d;
  while (b + 1 < planted.length && planted[b + 1] === planted[d]) b++;
  return b - a + 1;
}

function minhashBatch(name: string, from: number, rows: number, values: Uint8Array): arrow.RecordBatch {
  const schema = new arrow.Schema([
    new arrow.Field('shard_id', new arrow.Utf8(), false),
    new arrow.Field('id', new arrow.Utf8(), false),
    new arrow.Field('id_int', new arrow.Uint64(), false),
    new arrow.Field('signature_sim0.8', new arrow.List(new arrow.Field('item', new arrow.Binary(), false)), true),
  ]);
  const ids = Array.from({ length: rows }, (_, r) => `syn-${from + r}`);
  const idInt = new BigUint64Array(rows);
  for (let r = 0; r < rows; r++) idInt[r] = BigInt(from + r) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn;
  const itemOffsets = Int32Array.from({ length: rows * BANDS + 1 }, (_, i) => i * BAND_BYTES);
  const listOffsets = Int32Array.from({ length: rows + 1 }, (_, i) => i * BANDS);
  const child = arrow.makeData({ type: new arrow.Binary(), length: rows * BANDS, nullCount: 0, valueOffsets: itemOffsets, data: values });
  const children = [
    arrow.vectorFromArray(new Array<string>(rows).fill(`${name}.json.gz`), new arrow.Utf8()).data[0],
    arrow.vectorFromArray(ids, new arrow.Utf8()).data[0],
    arrow.makeData({ type: new arrow.Uint64(), length: rows, data: idInt }),
    arrow.makeData({ type: schema.fields[3].type, length: rows, nullCount: 0, valueOffsets: listOffsets, child }),
  ];
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: rows, nullCount: 0, children }));
}

async function* single<T>(x: T): AsyncGenerator<T> {
  yield x;
}

if (!args.includes('--no-recall')) await recall();
for (const n of COUNTS) await scale(n);
