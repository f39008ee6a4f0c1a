import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SignalBatchBuilder, signalSchema } from '../../src/columns/signal-columns.js';
import { writeParquet } from '../../src/io/parquet-writer.js';
import { readParquetBatches } from '../../src/io/parquet.js';
import type { SignalSpec } from '../../src/signal.js';
import { duckdb, tempDir } from '../helpers.js';

const SPECS: SignalSpec[] = [
  { name: 'a_f64', level: 'doc', type: 'f64', description: '' },
  { name: 'a_lines', level: 'line', type: 'f64', description: '' },
  { name: 'b_i64', level: 'doc', type: 'i64', description: '' },
  { name: 'c_str', level: 'doc', type: 'str', description: '' },
  { name: 'd_bytes', level: 'doc', type: 'bytes', description: '' },
  { name: 'e_counts', level: 'line', type: 'i64', description: '' },
];

describe('signal columns', () => {
  it('orders the schema: id, document signals, line_ends, line signals', () => {
    const schema = signalSchema(SPECS);
    assert.deepEqual(schema.fields.map((f) => f.name), ['id', 'a_f64', 'b_i64', 'c_str', 'd_bytes', 'line_ends', 'a_lines', 'e_counts']);
    assert.deepEqual(schema.fields.map((f) => String(f.type)), ['Utf8', 'Float64', 'Int64', 'Utf8', 'Binary', 'List<Uint32>', 'List<Float64>', 'List<Int64>']);
  });

  it('stores nulls, ints beyond 2^31, strings, bytes and ragged lists, and DuckDB reads them back', async () => {
    const builder = new SignalBatchBuilder(SPECS, new Map([['k', 'v']]));
    const rows = 2500; // crosses several growth steps of the typed buffers
    for (let i = 0; i < rows; i++) {
      const n = i % 4;
      builder.append(
        `doc-${i}`,
        [i % 3 === 0 ? null : i / 7, i % 5 === 0 ? null : 2 ** 40 + i, i % 2 ? `s${i}` : null, i % 2 ? null : new Uint8Array([i & 255, 1])],
        Uint32Array.from({ length: n }, (_, j) => (j + 1) * 10),
        [Float64Array.from({ length: n }, (_, j) => j / 2), Uint32Array.from({ length: n }, (_, j) => j)],
      );
    }
    assert.equal(builder.length, rows);
    const batch = builder.flush();
    assert.equal(batch.numRows, rows);
    assert.equal(builder.length, 0, 'flush starts a new batch');
    const path = join(tempDir(), 'cols.parquet');
    async function* one() {
      yield batch;
    }
    assert.equal(await writeParquet(path, one()), rows);
    const got = await duckdb(`SELECT * FROM '${path}' WHERE id IN ('doc-0', 'doc-1', 'doc-7') ORDER BY id`);
    assert.deepEqual(got[0], { id: 'doc-0', a_f64: null, b_i64: null, c_str: null, d_bytes: '\\x00\\x01', line_ends: [], a_lines: [], e_counts: [] });
    assert.deepEqual(got[1], { id: 'doc-1', a_f64: 1 / 7, b_i64: String(2 ** 40 + 1), c_str: 's1', d_bytes: null, line_ends: [10], a_lines: [0], e_counts: ['0'] });
    assert.deepEqual(got[2].line_ends, [10, 20, 30]);
    assert.deepEqual(got[2].a_lines, [0, 0.5, 1]);
    const nulls = await duckdb(`SELECT count(*) FILTER (WHERE a_f64 IS NULL) AS f, count(*) FILTER (WHERE b_i64 IS NULL) AS i FROM '${path}'`);
    assert.deepEqual(nulls[0], { f: String(Math.ceil(rows / 3)), i: String(rows / 5) });
    let total = 0;
    for await (const t of readParquetBatches(path, { batchSize: 1000 })) total += t.numRows;
    assert.equal(total, rows);
  });

  it('writes an empty batch as a file with the schema and no rows', async () => {
    const path = join(tempDir(), 'empty.parquet');
    const builder = new SignalBatchBuilder(SPECS);
    async function* one() {
      yield builder.flush();
    }
    await writeParquet(path, one());
    const got = await duckdb(`SELECT count(*) AS n FROM '${path}'`);
    assert.equal(got[0].n, '0');
    const cols = await duckdb(`DESCRIBE SELECT * FROM '${path}'`);
    assert.equal(cols.length, 8);
  });
});
