/**
 * Recipe throughput, two figures (issue 4):
 *  1. filtering precomputed signals: 100,000 documents' signals in a generated Parquet file, read and
 *     filtered with the Gopher recipe, in documents/s on one core (target ≥ 1 M/s); read by our
 *     column reader (as `sieve run --signals` does) and, for comparison, by parquet-wasm and Arrow;
 *  2. end to end: `sieve run recipes/gopher.yaml` on the web documents with one worker, startup and
 *     I/O included, in documents/s (target ≥ 1,900/s; datatrove 0.10's Gopher filters: ~94/s).
 *
 *   npm run bench:recipe
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as arrow from 'apache-arrow';
import { listSignals } from '../signals/index.js';
import { SignalBatchBuilder } from '../src/columns/signal-columns.js';
import { writeParquet } from '../src/io/parquet-writer.js';
import { readParquetBatches } from '../src/io/parquet.js';
import { openParquetColumns } from '../src/io/parquet-columns.js';
import { columnsFromArrow, columnsFromParquet } from '../src/recipe/columns.js';
import { filterSignals } from '../src/recipe/filter-signals.js';
import { parseRecipeText } from '../src/recipe/recipe-task.js';
import { readFileSync } from 'node:fs';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, '.bench', 'recipe');
mkdirSync(dir, { recursive: true });
const recipePath = join(root, 'recipes', 'gopher.yaml');
const recipe = parseRecipeText(readFileSync(recipePath, 'utf8'), recipePath);

// 1. 100k documents of generated signal values (deterministic), every signal the recipe names.
const N = 100_000;
const names = new Set(recipe.steps.flatMap((s) => ('rule' in s ? [...s.rule.signals] : [])));
const specs = listSignals().map((r) => r.signal).filter((s) => names.has(s.name));
let seed = 42;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const builder = new SignalBatchBuilder(specs);
const path = join(dir, 'signals-100k.parquet');
async function* rows(): AsyncGenerator<arrow.RecordBatch> {
  for (let i = 0; i < N; i++) {
    const lines = 1 + Math.floor(random() * 30);
    const docValues = specs.filter((s) => s.level === 'doc').map((s) => (s.name === 'rps_doc_word_count' ? Math.floor(random() * 2000) : s.name === 'rps_doc_mean_word_length' ? 2 + random() * 8 : random() * 0.3));
    const lineValues = specs.filter((s) => s.level === 'line').map(() => Float64Array.from({ length: lines }, () => (random() < 0.05 ? 1 : 0)));
    builder.append(`doc-${i}`, docValues, Uint32Array.from({ length: lines }, (_, j) => (j + 1) * 80), lineValues);
    if (builder.length === 10_000) yield builder.flush();
  }
}
await writeParquet(path, rows());

/** Best wall time of `rounds` runs of `f`, and what its last run returned. */
async function bestOf<T>(rounds: number, f: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  let ms = Infinity;
  let result!: T;
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    result = await f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, result };
}
// Our column reader, as `sieve run --signals` reads our Parquet: every column decoded on first use.
const own = await bestOf(7, async () => filterSignals(recipe, columnsFromParquet(await openParquetColumns(path))).kept);
// parquet-wasm and Arrow, the reader of files ours does not decode.
const wasm = await bestOf(5, async () => {
  let kept = 0;
  for await (const table of readParquetBatches(path, { batchSize: 50_000, columns: [...names] })) kept += filterSignals(recipe, columnsFromArrow(table)).kept;
  return kept;
});
const tables: arrow.Table[] = [];
for await (const t of readParquetBatches(path, { batchSize: 50_000 })) tables.push(t);
const columns = tables.map((t) => columnsFromArrow(t));
const evalOnly = await bestOf(7, () => columns.reduce((n, c) => n + filterSignals(recipe, c).kept, 0));
const rate = (ms: number) => `${(N / (ms / 1000) / 1e6).toFixed(2)} M documents/s (${ms.toFixed(0)} ms)`;
console.log(`precomputed signals, ${N.toLocaleString('en-US')} documents, gopher.yaml (${recipe.steps.length} steps), one core, best of 5–7:`);
console.log(`  read Parquet + filter:                ${rate(own.ms)}, kept ${own.result}`);
console.log(`  read Parquet (parquet-wasm) + filter: ${rate(wasm.ms)}, kept ${wasm.result}`);
console.log(`  filter only:                          ${rate(evalOnly.ms)}, kept ${evalOnly.result}`);

// 2. End to end through the CLI, one worker; and what of it is start-up (Node, then the run command's modules).
const web = resolve(root, '..', 'shared', 'corpus', 'web', 'web_docs.jsonl.gz');
const ROUNDS = Number(process.env.ROUNDS ?? 9);
/** Best and median wall time of `node ARGS…`, in ms. */
function timed(args: readonly string[], rounds = ROUNDS): { best: number; median: number } {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(rounds / 2)] };
}
const sieve = join(root, 'bin', 'sieve.js');
const runArgs = [sieve, 'run', recipePath, web, '--out', join(dir, 'e2e'), '--workers', '1', '--force'];
// The first run after a build compiles the CLI and leaves its code cache (bin/sieve.js); users see that once.
rmSync(join(root, 'dist', 'cli', '.code-cache'), { recursive: true, force: true });
const first = timed(runArgs, 1);
const bare = timed(['-e', '0']);
const startup = timed([sieve, 'run', '--help']);
const e2e = timed(runArgs);
const documents = (JSON.parse(readFileSync(join(dir, 'e2e', 'manifest.json'), 'utf8')) as { totals: { documents: number } }).totals.documents;
const docsPerS = documents / (e2e.best / 1000);
console.log(`end to end, sieve run recipes/gopher.yaml on the ${documents.toLocaleString('en-US')} web documents, --workers 1, startup and I/O included, best of ${ROUNDS}:`);
console.log(`  ${docsPerS.toFixed(0)} documents/s (${e2e.best.toFixed(0)} ms, median ${e2e.median.toFixed(0)} ms); datatrove 0.10 Gopher filters: ~94 documents/s → ${(docsPerS / 94).toFixed(1)}x`);
console.log(`  the first run after a build, which writes the code cache: ${first.best.toFixed(0)} ms`);
console.log(`  of which start-up: node -e 0 ${bare.best.toFixed(0)} ms, sieve run --help ${startup.best.toFixed(0)} ms`);
