import { strict as assert } from 'node:assert';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as arrow from 'apache-arrow';
import { openParquetColumns } from '../../src/io/parquet-columns.js';
import { decodeRuns, gatherRuns, runZeros, type RunSource } from '../../src/io/parquet-runs.js';
import { readParquetBatches } from '../../src/io/parquet.js';
import { writeParquet } from '../../src/io/parquet-writer.js';
import { nativeRuns } from '../../src/native.js';
import { loadPrecomputed } from '../../src/recipe/precomputed.js';
import { duckdb, tempDir } from '../helpers.js';

/** What parquet-wasm and Arrow read from the file, column by column, in the reader's terms. */
async function arrowColumns(path: string): Promise<Map<string, { kind: 'number' | 'string' | 'numberList'; values: unknown }>> {
  const batches: arrow.RecordBatch[] = [];
  for await (const t of readParquetBatches(path, { batchSize: 4096 })) batches.push(...t.batches);
  const table = new arrow.Table(batches);
  const out = new Map<string, { kind: 'number' | 'string' | 'numberList'; values: unknown }>();
  const num = (v: unknown) => (v === null ? Number.NaN : Number(v as number | bigint));
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const rows = Array.from({ length: table.numRows }, (_, i) => vector.get(i) as unknown);
    if (arrow.DataType.isList(field.type)) {
      const offsets = [0];
      const values: number[] = [];
      for (const r of rows) {
        if (r !== null) for (const v of r as Iterable<unknown>) values.push(num(v));
        offsets.push(values.length);
      }
      out.set(field.name, { kind: 'numberList', values: { offsets, values } });
    } else if (arrow.DataType.isUtf8(field.type)) {
      out.set(field.name, { kind: 'string', values: rows });
    } else {
      out.set(field.name, { kind: 'number', values: rows.map(num) });
    }
  }
  return out;
}

/** Checks every column the reader decodes against Arrow's reading; returns the names it left out. */
async function assertSameAsArrow(path: string): Promise<string[]> {
  const file = await openParquetColumns(path);
  const expected = await arrowColumns(path);
  assert.deepEqual([...file.columns], [...expected.keys()]);
  const unreadable: string[] = [];
  for (const [name, want] of expected) {
    const kind = file.kind(name);
    if (kind === undefined) {
      unreadable.push(name);
      continue;
    }
    assert.equal(kind, want.kind, name);
    if (kind === 'number') assert.deepEqual(Array.from(file.numbers(name)), want.values, name);
    else if (kind === 'string') assert.deepEqual(file.strings(name), want.values, name);
    else {
      const lists = file.numberLists(name);
      const w = want.values as { offsets: number[]; values: number[] };
      assert.deepEqual(Array.from(lists.offsets), w.offsets, `${name} offsets`);
      assert.deepEqual(Array.from(lists.values), w.values, `${name} values`);
      assert.deepEqual(Array.from(file.listOffsets(name)), w.offsets, `${name} offsets alone`);
    }
  }
  return unreadable;
}

/** Runs `f` with an environment variable set, then restores it. */
async function withEnv<T>(name: string, value: string, f: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

/** Runs `f` with the JS run decoders (SIEVE_BACKEND=js). */
const withJsBackend = <T>(f: () => Promise<T>) => withEnv('SIEVE_BACKEND', 'js', f);

const ROWS = 3000;

/** A signal table as our writer makes one: nulls, empty and null lists, non-ASCII ids. */
function signalTable(): arrow.Table {
  const ids = Array.from({ length: ROWS }, (_, i) => (i % 5 === 0 ? `dóc-${i}-✓` : `doc-${i}`));
  const score = Array.from({ length: ROWS }, (_, i) => (i % 9 === 0 ? null : i % 4 === 0 ? 0 : Math.sin(i) * 1000));
  const count = Array.from({ length: ROWS }, (_, i) => BigInt(i % 3 === 0 ? -i : i * 1_000_003));
  const lines = Array.from({ length: ROWS }, (_, i) => (i % 13 === 0 ? null : Array.from({ length: i % 7 }, (_, j) => ((i + j) % 5 === 0 ? 1 : j * 0.25))));
  const ends = Array.from({ length: ROWS }, (_, i) => (i % 13 === 0 ? null : Array.from({ length: i % 7 }, (_, j) => (j + 1) * 80 + (i % 2 === 0 ? 2 ** 31 : 0))));
  return new arrow.Table({
    id: arrow.vectorFromArray(ids, new arrow.Utf8()),
    score: arrow.vectorFromArray(score, new arrow.Float64()),
    count: arrow.vectorFromArray(count, new arrow.Int64()),
    lines: arrow.vectorFromArray(lines, new arrow.List(new arrow.Field('item', new arrow.Float64(), true))),
    line_ends: arrow.vectorFromArray(ends, new arrow.List(new arrow.Field('item', new arrow.Uint32(), true))),
  });
}

async function* batchesOf(table: arrow.Table): AsyncGenerator<arrow.RecordBatch> {
  yield* table.batches;
}

describe('openParquetColumns', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
  });

  for (const compression of ['zstd', 'snappy', 'none'] as const) {
    it(`reads our writer's ${compression} files (dictionaries, nulls, empty lists, several row groups) as Arrow does`, async () => {
      const path = join(dir, `ours-${compression}.parquet`);
      await writeParquet(path, batchesOf(signalTable()), { compression, rowGroupSize: 700 });
      assert.deepEqual(await assertSameAsArrow(path), []);
      assert.deepEqual(await withJsBackend(() => assertSameAsArrow(path)), []);
      // zstd in JS, as where zstd-napi could not be built.
      if (compression === 'zstd') assert.deepEqual(await withEnv('SIEVE_ZSTD', 'fzstd', () => assertSameAsArrow(path)), []);
    });
  }

  for (const options of ["COMPRESSION 'zstd'", "COMPRESSION 'snappy'", "COMPRESSION 'gzip'", "COMPRESSION 'uncompressed'", "COMPRESSION 'zstd', PARQUET_VERSION 'V2'"]) {
    it(`reads DuckDB's files (${options}) as Arrow does, and names what it leaves to parquet-wasm`, async () => {
      const path = join(dir, `duckdb-${options.replace(/\W+/g, '-')}.parquet`);
      await duckdb(`COPY (SELECT 'doc-' || i AS id,
          CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.5 END::DOUBLE AS x,
          (i * 1000003)::BIGINT AS big, (i % 300)::UINTEGER AS small, (i * 1.25)::FLOAT AS f,
          CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN [] ELSE [i % 2, CASE WHEN i % 17 = 0 THEN NULL ELSE i % 3 END, 0.5] END::DOUBLE[] AS lines
        FROM range(5000) t(i)) TO '${path}' (FORMAT parquet, ${options}, ROW_GROUP_SIZE 1000)`);
      const unreadable = await assertSameAsArrow(path);
      assert.deepEqual(await withJsBackend(() => assertSameAsArrow(path)), unreadable);
      // Version 1 pages in the encodings every writer uses are all ours; V2's delta encodings are not.
      if (!options.includes('V2')) assert.deepEqual(unreadable, []);
    });
  }

  it('a signals file it cannot decode wholly is loaded through parquet-wasm, with the same columns', async () => {
    const path = join(dir, 'v2.signals.parquet');
    await duckdb(`COPY (SELECT 'doc-' || i AS id, (i % 50)::BIGINT AS rps_doc_word_count, i * 0.01 AS rps_doc_mean_word_length
      FROM range(2000) t(i)) TO '${path}' (FORMAT parquet, PARQUET_VERSION 'V2')`);
    const file = await openParquetColumns(path);
    assert.ok(file.columns.some((c) => file.kind(c) === undefined), 'DuckDB V2 uses an encoding this reader leaves out');
    const pre = await loadPrecomputed(path);
    assert.equal(pre.ids[1234], 'doc-1234');
    assert.equal((pre.columns.doc('rps_doc_word_count') as { values: Float64Array }).values[1234], 1234 % 50);
  });

  it('loads our signal files with its own decoders, joined by id', async () => {
    const path = join(dir, 'ours.signals.parquet');
    await writeParquet(path, batchesOf(signalTable()));
    const pre = await loadPrecomputed(path);
    assert.equal(pre.ids[10], 'dóc-10-✓');
    assert.equal(pre.row.get('doc-11'), 11);
    assert.ok(Number.isNaN((pre.columns.doc('score') as { values: Float64Array }).values[9]));
    const lines = pre.columns.lines('lines');
    assert.equal(lines.offsets[6] - lines.offsets[5], 5);
  });

  it('a list signal whose line counts disagree with line_ends is an error naming the column', async () => {
    const path = join(dir, 'mismatch.signals.parquet');
    const t = signalTable();
    const wrong = arrow.vectorFromArray(
      Array.from({ length: ROWS }, (_, i) => Array.from({ length: i === 40 ? 2 : i % 13 === 0 ? 0 : i % 7 }, () => 0)),
      new arrow.List(new arrow.Field('item', new arrow.Float64(), true)),
    );
    await writeParquet(path, batchesOf(new arrow.Table({ id: t.getChild('id')!, lines: wrong, line_ends: t.getChild('line_ends')! })));
    const pre = await loadPrecomputed(path);
    assert.throws(() => pre.columns.lines('lines'), /line signal "lines" has 2 values for document 40, but line_ends has 5 lines/);
  });

  it('refuses what is not Parquet, and a damaged page, naming the file and the column', async () => {
    const notParquet = join(dir, 'not.parquet');
    writeFileSync(notParquet, 'id,score\n1,2\n');
    await assert.rejects(openParquetColumns(notParquet), (e: Error & { code?: string; location?: { file?: string } }) => e.code === 'E_INPUT_FORMAT' && /no PAR1 magic/.test(e.message) && e.location?.file === notParquet);
    await assert.rejects(openParquetColumns(join(dir, 'missing.parquet')), (e: Error & { code?: string }) => e.code === 'E_INPUT_MISSING');

    const good = join(dir, 'undamaged.parquet');
    await writeParquet(good, batchesOf(signalTable()), { compression: 'none' });
    const damaged = join(dir, 'damaged.parquet');
    copyFileSync(good, damaged);
    const bytes = readFileSync(damaged);
    // The first column chunk, right after the leading magic, is the id column's: noise over its first page.
    for (let i = 4; i < 68; i++) bytes[i] = 0xff;
    writeFileSync(damaged, bytes);
    const broken = await openParquetColumns(damaged);
    assert.throws(() => broken.strings('id'), (e: Error & { code?: string; location?: { file?: string } }) => e.code === 'E_INPUT_FORMAT' && /column "id"/.test(e.message) && e.location?.file === damaged);
  });

  it('damage anywhere in the footer is an input error or a file that still decodes, never a crash', async () => {
    await writeParquet(join(dir, 'footer.parquet'), batchesOf(signalTable()), { rowGroupSize: 700 });
    const good = readFileSync(join(dir, 'footer.parquet'));
    const footerLength = good.readUInt32LE(good.length - 8);
    const footerStart = good.length - 8 - footerLength;
    let seed = 3;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 60; trial++) {
      const bytes = Buffer.from(good);
      for (let k = 0; k < 3; k++) bytes[footerStart + Math.floor(random() * footerLength)] = Math.floor(random() * 256);
      const path = join(dir, 'footer-damage.parquet');
      writeFileSync(path, bytes);
      try {
        const file = await openParquetColumns(path);
        for (const name of file.columns) {
          const kind = file.kind(name);
          if (kind === 'number') file.numbers(name);
          else if (kind === 'string') file.strings(name);
          else if (kind === 'numberList') file.numberLists(name);
        }
      } catch (err) {
        assert.equal((err as { code?: string }).code, 'E_INPUT_FORMAT', `trial ${trial}: ${(err as Error).stack}`);
      }
    }
  });

});

/** Encodes `values` in the hybrid encoding: runs of 8+ equal values repeated, the rest bit-packed. */
function encodeHybrid(values: readonly number[], width: number): Uint8Array {
  const out: number[] = [];
  const varint = (n: number) => {
    for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
    out.push(n);
  };
  let i = 0;
  while (i < values.length) {
    let run = 1;
    while (i + run < values.length && values[i + run] === values[i]) run++;
    if (run >= 8) {
      varint(run * 2);
      for (let b = 0; b < Math.ceil(width / 8); b++) out.push(Math.floor(values[i] / 2 ** (8 * b)) % 256);
      i += run;
      continue;
    }
    const groups = Math.ceil(Math.min(64, values.length - i) / 8);
    varint(groups * 2 + 1);
    const bits: number[] = [];
    for (let k = 0; k < groups * 8; k++) {
      const v = values[i + k] ?? 0;
      for (let b = 0; b < width; b++) bits.push(Math.floor(v / 2 ** b) % 2);
    }
    for (let k = 0; k < bits.length; k += 8) out.push(bits.slice(k, k + 8).reduce((acc, bit, j) => acc + bit * 2 ** j, 0));
    i += groups * 8;
  }
  return Uint8Array.from(out);
}

describe('run-length hybrid decoding: the addon and the JS agree', () => {
  const native = nativeRuns();
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

  it('decodes values, dictionary lookups and zero positions of random data at every bit width', { skip: native ? false : 'no native backend here (the addon is not built)' }, () => {
    for (let width = 0; width <= 32; width++) {
      for (let trial = 0; trial < 4; trial++) {
        const count = 1 + Math.floor(random() * 3000);
        const max = width === 0 ? 0 : 2 ** width - 1;
        const values = Array.from({ length: count }, () => (random() < 0.5 ? (random() < 0.5 ? 0 : max) : Math.floor(random() * (max + 1))));
        for (let k = 0; k < count; k += 40) for (let r = 0; r < 12 && k + r < count; r++) values[k + r] = values[k];
        const data = encodeHybrid(values, width);
        const src: RunSource = { data, from: 0, to: data.length, width, count };
        assert.deepEqual(Array.from(decodeRuns(src, null)), values, `JS, width ${width}`);
        assert.deepEqual(Array.from(decodeRuns(src, native)), values, `addon, width ${width}`);
        const zeros = values.flatMap((v, i) => (v === 0 ? [i + 5] : []));
        for (const impl of [null, native]) {
          const offsets = new Int32Array(zeros.length + 3);
          assert.equal(runZeros(src, offsets, 3, 5, impl), zeros.length + 3);
          assert.deepEqual(Array.from(offsets.subarray(3)), zeros);
          assert.equal(runZeros(src, new Int32Array(Math.max(0, zeros.length - 1)), 0, 0, impl), zeros.length === 0 ? 0 : -1);
        }
        if (width <= 12) {
          const dictionary = Float64Array.from({ length: max + 1 }, (_, k) => k * 0.5 - 3);
          for (const impl of [null, native]) {
            const out = new Float64Array(count);
            gatherRuns(src, dictionary, out, impl);
            assert.deepEqual(Array.from(out), values.map((v) => dictionary[v]));
          }
          if (max > 0 && values.includes(max)) {
            for (const impl of [null, native]) assert.throws(() => gatherRuns(src, dictionary.subarray(0, max), new Float64Array(count), impl), /dictionary index beyond the dictionary/);
          }
        }
        // Cut short, both refuse alike.
        if (data.length > 2) {
          const cut: RunSource = { ...src, to: data.length - 2 };
          for (const impl of [null, native]) assert.throws(() => decodeRuns(cut, impl), /run-length data ends early or runs past its end/);
        }
      }
    }
  });
});
