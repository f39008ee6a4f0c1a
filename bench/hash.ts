/**
 * Hashing backends on the web corpus: MinHash and DSIR features, per backend, on 1 and 2 threads.
 *
 *   npm run bench:hash            (node --import tsx bench/hash.ts [--runs N] [--repeat K] [--backends cpu,cuda])
 *
 * `--repeat K` hashes the corpus K times over in one batch (to keep a GPU busy); `--backends` times
 * only the listed backends (all of them are still checked for agreement, js included).
 *
 * First checks that every backend returns the same bits, then prints documents/s, shingles/s
 * (MinHash) or tokens/s (DSIR) and MB/s of document text, best of N runs, and the ratios the issue
 * sets as targets: cpu ≥ 10× js, and cpu ≥ 20× the reference's MinHash cost per document, which
 * is (1/112 − 1/143) s ≈ 1.94 ms (../shared/reference/README.md: 143 docs/s for the 28 signals,
 * 112 docs/s with MinHash, per core).
 *
 * What is timed: `pack` turns `TextView`s (whose normalized text and tokens the signals already
 * computed) into a batch, on the JS thread, as `minhashBands(views)` and `dsirFeatures(views)` do
 * (MinHash: UTF-16 out of the strings, encoded to UTF-8 by the kernel); `kernel` is the backend's
 * work on that batch; `bands` cuts the RPv2 bands. The js backend on 2 threads runs in 2 worker
 * threads, each on half of the documents (UTF-8 batches).
 */

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { bandsOf, createJsBackend, dsirBatch, minhashBatch, minhashBatchUtf16 } from '../src/hash/index.js';
import type { HashBackend, MinhashBatch, TokenBatch } from '../src/hash/index.js';
import { availableBackends, backendInfo, getBackend } from '../src/native.js';
import { TextView } from '../src/text/index.js';

const REFERENCE_MINHASH_MS = (1 / 112 - 1 / 143) * 1000;

interface WorkerJob {
  readonly kernel: 'minhash' | 'dsir';
  readonly batch: MinhashBatch | TokenBatch;
}

if (!isMainThread) {
  // A js-backend worker: warm up, say ready, then run the kernel once per 'go'.
  const js = createJsBackend();
  const job = workerData as WorkerJob;
  const run = (): void => {
    if (job.kernel === 'minhash') js.minhashSignaturesSync(job.batch as MinhashBatch);
    else js.dsirBucketsSync(job.batch as TokenBatch);
  };
  run();
  parentPort?.postMessage('ready');
  parentPort?.on('message', (m) => {
    if (m === 'go') {
      run();
      parentPort?.postMessage('done');
    } else {
      process.exit(0);
    }
  });
} else {
  await main();
}

function sliceMinhash(b: MinhashBatch, from: number, to: number): MinhashBatch {
  const base = b.offsets[from];
  return { bytes: b.bytes.slice(base, b.offsets[to]), offsets: b.offsets.slice(from, to + 1).map((o) => o - base) };
}

function sliceTokens(b: TokenBatch, from: number, to: number): TokenBatch {
  const ub = b.unitOffsets[from];
  const tb = b.tokenOffsets[from];
  return {
    units: b.units.slice(ub, b.unitOffsets[to]),
    unitOffsets: b.unitOffsets.slice(from, to + 1).map((o) => o - ub),
    spans: b.spans.slice(2 * tb, 2 * b.tokenOffsets[to]),
    tokenOffsets: b.tokenOffsets.slice(from, to + 1).map((o) => o - tb),
  };
}

/** The document index that splits `offsets` into two halves of about equal size. */
function middle(offsets: Uint32Array): number {
  const docs = offsets.length - 1;
  const half = offsets[docs] / 2;
  let d = 0;
  while (d < docs && offsets[d] < half) d++;
  return Math.max(1, Math.min(docs - 1, d));
}

/** js on 2 threads: two workers, each on about half of the batch; returns the best wall time (ms). */
async function jsTwoThreads(kernel: 'minhash' | 'dsir', batch: MinhashBatch | TokenBatch, runs: number): Promise<number> {
  const offsets = kernel === 'minhash' ? (batch as MinhashBatch).offsets : (batch as TokenBatch).unitOffsets;
  const mid = middle(offsets);
  const docs = offsets.length - 1;
  const halves =
    kernel === 'minhash'
      ? [sliceMinhash(batch as MinhashBatch, 0, mid), sliceMinhash(batch as MinhashBatch, mid, docs)]
      : [sliceTokens(batch as TokenBatch, 0, mid), sliceTokens(batch as TokenBatch, mid, docs)];
  // The worker runs this file through tsx's loader, registered inside the worker.
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const workers = halves.map((half) => new Worker(boot, { eval: true, workerData: { kernel, batch: half } }));
  const next = (w: Worker): Promise<unknown> => new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await Promise.all(workers.map(next));
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const done = workers.map(next);
    for (const w of workers) w.postMessage('go');
    await Promise.all(done);
    best = Math.min(best, performance.now() - t0);
  }
  for (const w of workers) w.postMessage('exit');
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  return best;
}

async function best(runs: number, fn: () => unknown): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const runs = Number(arg('--runs') ?? 5);
  const repeat = Number(arg('--repeat') ?? 1);
  const timed = arg('--backends')?.split(',');
  const path = new URL('../../shared/corpus/web/web_docs.jsonl.gz', import.meta.url);
  const texts = gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const corpus = texts.map((t) => new TextView(t));
  const views = Array.from({ length: repeat }, () => corpus).flat();
  // The views the signals compute anyway: not part of the hashing cost.
  for (const v of views) {
    void v.normalized;
    void v.rawWordSpans;
  }
  const docs = views.length;
  const textMB = (repeat * texts.reduce((n, t) => n + Buffer.byteLength(t), 0)) / 1e6;
  const info = backendInfo();
  console.log(`# bench:hash — ${docs} web documents${repeat > 1 ? ` (the corpus ${repeat} times)` : ''}, ${fmt(textMB, 1)} MB of text, best of ${runs} runs`);
  console.log(`# backends: ${availableBackends().join(', ')} (chosen: ${info.chosen}); cpu features: ${info.cpuFeatures.join(' ') || 'none'}`);
  for (const b of info.backends) if (!b.available) console.log(`# ${b.name} unavailable: ${b.reason}`);
  console.log(`# paths: ${Object.entries(info.paths).map(([k, v]) => `${k}=${v}`).join(', ')}`);

  const mb = minhashBatch(views);
  const m16 = minhashBatchUtf16(views);
  const db = dsirBatch(views);
  const shingles = (() => {
    const r = getBackend(availableBackends().includes('cpu') ? 'cpu' : 'js').minhashSignaturesSync(mb);
    return r.shingles.reduce((n, s) => n + s, 0);
  })();
  const tokens = db.tokenOffsets[docs];

  // Agreement first: the figures mean nothing if the backends disagree.
  const backends: HashBackend[] = availableBackends().map((n) => getBackend(n));
  const reference = { mh: createJsBackend().minhashSignaturesSync(mb), ds: createJsBackend().dsirBucketsSync(db) };
  for (const b of backends) {
    const mh = b.minhashSignaturesUtf16Sync(m16, { threads: 2 });
    const mh8 = b.minhashSignaturesSync(mb, { threads: 2 });
    const ds = b.dsirBucketsSync(db, { threads: 2 });
    const same =
      Buffer.from(mh.signatures.buffer).equals(Buffer.from(reference.mh.signatures.buffer)) &&
      Buffer.from(mh8.signatures.buffer).equals(Buffer.from(reference.mh.signatures.buffer)) &&
      Buffer.from(ds.buckets.buffer).equals(Buffer.from(reference.ds.buckets.buffer)) &&
      Buffer.from(ds.counts.buffer).equals(Buffer.from(reference.ds.counts.buffer)) &&
      Buffer.from(ds.docOffsets.buffer).equals(Buffer.from(reference.ds.docOffsets.buffer));
    if (!same) {
      console.error(`# FAIL: backend ${b.name} disagrees with js; no figures`);
      process.exit(1);
    }
  }
  console.log(`# agreement: ${backends.map((b) => b.name).join(', ')} return identical MinHash signatures and DSIR counts\n`);

  // The JS-thread steps are timed once V8 has optimised them, as they are over a long run's batches.
  for (let w = 0; w < 10; w++) {
    minhashBatchUtf16(views);
    bandsOf(reference.mh);
  }
  const packMinhash = await best(runs, () => minhashBatchUtf16(views));
  const packDsir = await best(runs, () => dsirBatch(views));
  const bandsMs = await best(runs, () => bandsOf(reference.mh));

  type Row = { backend: string; threads: number; kernelMs: number };
  const minhashRows: Row[] = [];
  const dsirRows: Row[] = [];
  for (const b of backends.filter((x) => !timed || timed.includes(x.name))) {
    for (const threads of [1, 2]) {
      if (b.name === 'js' && threads === 2) {
        minhashRows.push({ backend: 'js', threads, kernelMs: await jsTwoThreads('minhash', mb, Math.min(runs, 3)) });
        dsirRows.push({ backend: 'js', threads, kernelMs: await jsTwoThreads('dsir', db, Math.min(runs, 3)) });
        continue;
      }
      const r = b.name === 'js' ? Math.min(runs, 3) : runs;
      minhashRows.push({
        backend: b.name,
        threads,
        kernelMs: await best(r, () => (threads === 1 ? b.minhashSignaturesUtf16Sync(m16, { threads }) : b.minhashSignaturesUtf16(m16, { threads }))),
      });
      dsirRows.push({ backend: b.name, threads, kernelMs: await best(r, () => (threads === 1 ? b.dsirBucketsSync(db, { threads }) : b.dsirBuckets(db, { threads }))) });
    }
  }

  console.log(`MinHash (${fmt(shingles)} shingles; pack ${fmt((packMinhash * 1000) / docs, 1)} µs/doc and bands ${fmt((bandsMs * 1000) / docs, 1)} µs/doc on the JS thread, included in "µs/doc e2e")`);
  console.log('backend  threads   docs/s   shingles/s     MB/s   µs/doc kernel   µs/doc e2e   × reference (e2e)');
  for (const row of minhashRows) {
    const kernelUs = (row.kernelMs * 1000) / docs;
    const e2eUs = ((row.kernelMs + packMinhash + bandsMs) * 1000) / docs;
    console.log(
      `${row.backend.padEnd(8)} ${String(row.threads).padStart(7)} ${fmt(docs / (row.kernelMs / 1000)).padStart(8)} ${fmt(shingles / (row.kernelMs / 1000)).padStart(12)} ${fmt(textMB / (row.kernelMs / 1000), 1).padStart(8)} ${fmt(kernelUs, 1).padStart(15)} ${fmt(e2eUs, 1).padStart(12)} ${fmt((REFERENCE_MINHASH_MS * 1000) / e2eUs, 1).padStart(19)}`,
    );
  }
  console.log(`\nDSIR features (${fmt(tokens)} tokens; pack ${fmt((packDsir * 1000) / docs, 1)} µs/doc on the JS thread, included in "µs/doc e2e")`);
  console.log('backend  threads   docs/s     tokens/s     MB/s   µs/doc kernel   µs/doc e2e');
  for (const row of dsirRows) {
    const kernelUs = (row.kernelMs * 1000) / docs;
    const e2eUs = ((row.kernelMs + packDsir) * 1000) / docs;
    console.log(
      `${row.backend.padEnd(8)} ${String(row.threads).padStart(7)} ${fmt(docs / (row.kernelMs / 1000)).padStart(8)} ${fmt(tokens / (row.kernelMs / 1000)).padStart(12)} ${fmt(textMB / (row.kernelMs / 1000), 1).padStart(8)} ${fmt(kernelUs, 1).padStart(15)} ${fmt(e2eUs, 1).padStart(12)}`,
    );
  }

  const find = (rows: Row[], backend: string, threads: number): Row | undefined => rows.find((r) => r.backend === backend && r.threads === threads);
  const cpu1 = find(minhashRows, 'cpu', 1);
  const js1 = find(minhashRows, 'js', 1);
  console.log('');
  if (cpu1 && js1) {
    const ratio = js1.kernelMs / cpu1.kernelMs;
    const e2eUs = ((cpu1.kernelMs + packMinhash + bandsMs) * 1000) / docs;
    const vsRef = (REFERENCE_MINHASH_MS * 1000) / e2eUs;
    const vsRefKernel = (REFERENCE_MINHASH_MS * docs) / cpu1.kernelMs;
    console.log(`MinHash cpu/js, 1 thread: ${fmt(ratio, 1)}× (target ≥ 10×) ${ratio >= 10 ? 'MET' : 'NOT MET'}`);
    console.log(
      `MinHash cpu vs the reference's ${fmt(REFERENCE_MINHASH_MS, 2)} ms/doc, 1 thread: ${fmt(vsRef, 1)}× end to end, ${fmt(vsRefKernel, 1)}× kernel only (target ≥ 20×) ${vsRef >= 20 ? 'MET' : vsRefKernel >= 20 ? 'MET for the kernel, NOT end to end' : 'NOT MET'}`,
    );
    const d1 = find(dsirRows, 'cpu', 1);
    const dj = find(dsirRows, 'js', 1);
    if (d1 && dj) console.log(`DSIR cpu/js, 1 thread: ${fmt(dj.kernelMs / d1.kernelMs, 1)}×`);
  } else {
    console.log(`cpu backend unavailable (${info.loadErrors.cpu ?? 'unknown'}): ratios not computed`);
  }
  const cuda1 = find(minhashRows, 'cuda', 1);
  if (cuda1 && cpu1) console.log(`MinHash cuda/cpu (1 CPU thread): ${fmt(cpu1.kernelMs / cuda1.kernelMs, 1)}×`);
}
