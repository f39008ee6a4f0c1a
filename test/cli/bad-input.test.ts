import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress } from 'zstd-napi';
import { duckdb, sieve, tempDir } from '../helpers.js';

const good = (i: number) => JSON.stringify({ id: `d${i}`, text: `Document number ${i} has a few words.\nAnd a second line.` });
const manyLines = (n: number) => Array.from({ length: n }, (_, i) => good(i)).join('\n') + '\n';

interface Case {
  readonly name: string;
  readonly file: string;
  readonly content: () => Buffer | undefined;
  readonly code: string;
  /** Text the error must contain: the cause and the location. */
  readonly message: RegExp;
  /** Expected counts under --on-error skip. */
  readonly documents: number | ((n: number) => boolean);
  readonly rejected: number;
  readonly rejectedLine?: number;
}

const CASES: readonly Case[] = [
  {
    name: 'a malformed JSON line',
    file: 'malformed.jsonl',
    content: () => Buffer.from([good(1), '{"id": "d2", "text": "unterminated', good(3)].join('\n') + '\n'),
    code: 'E_INPUT_PARSE',
    message: /malformed JSON .* at .*malformed\.jsonl:2/,
    documents: 2,
    rejected: 1,
    rejectedLine: 2,
  },
  {
    name: 'invalid UTF-8',
    file: 'badutf8.jsonl',
    content: () => Buffer.concat([Buffer.from(good(1) + '\n' + good(2) + '\n'), Buffer.from('{"id":"d3","text":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
    code: 'E_INPUT_ENCODING',
    message: /invalid UTF-8 at .*badutf8\.jsonl:3/,
    documents: 2,
    rejected: 1,
    rejectedLine: 3,
  },
  {
    name: 'a truncated gzip file',
    file: 'truncated.jsonl.gz',
    content: () => {
      const gz = gzipSync(manyLines(20000));
      return gz.subarray(0, Math.floor(gz.length / 2));
    },
    code: 'E_INPUT_TRUNCATED',
    message: /truncated gzip stream .* at .*truncated\.jsonl\.gz:\d+/,
    documents: (n) => n > 1000 && n < 20000,
    rejected: 1,
  },
  {
    name: 'a truncated zstd file',
    file: 'truncated.jsonl.zst',
    content: () => {
      const z = zstdCompress(Buffer.from(manyLines(20000)));
      return z.subarray(0, Math.floor(z.length / 2));
    },
    code: 'E_INPUT_TRUNCATED',
    message: /truncated zstd stream .* at .*truncated\.jsonl\.zst:\d+/,
    documents: (n) => n > 1000 && n < 20000,
    rejected: 1,
  },
  {
    name: 'a missing text field',
    file: 'notext.jsonl',
    content: () => Buffer.from([good(1), JSON.stringify({ id: 'd2', body: 'no text here' }), good(3)].join('\n') + '\n'),
    code: 'E_INPUT_FIELD',
    message: /missing text field "text" or "raw_content" at .*notext\.jsonl:2/,
    documents: 2,
    rejected: 1,
    rejectedLine: 2,
  },
  {
    name: 'an empty file',
    file: 'empty.jsonl',
    content: () => Buffer.alloc(0),
    code: 'E_INPUT_EMPTY',
    message: /input is empty .* at .*empty\.jsonl/,
    documents: 0,
    rejected: 1,
  },
  {
    name: 'a path that does not exist',
    file: 'nonexistent.jsonl',
    content: () => undefined,
    code: 'E_INPUT_MISSING',
    message: /input does not exist: .*nonexistent\.jsonl/,
    documents: 0,
    rejected: 1,
  },
];

describe('bad input (issue 2)', () => {
  for (const c of CASES) {
    it(`${c.name}: fails with exit 2, the location and cause, and no partial output`, () => {
      const dir = tempDir();
      const input = join(dir, c.file);
      const content = c.content();
      if (content) writeFileSync(input, content);
      const out = join(dir, 'out');
      const r = sieve(['signals', input, '--out', out, '--workers', '1']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^sieve: ${c.code}: `));
      assert.match(r.stderr, c.message);
      assert.doesNotMatch(r.stderr, /\n\s+at .*\.(js|ts):\d+/, 'no stack trace');
      const left = existsSync(out) ? readdirSync(out, { recursive: true }).map(String) : [];
      assert.deepEqual(left.filter((f) => f.endsWith('.parquet') || f.endsWith('.tmp') || f === 'manifest.json'), [], `left behind: ${left}`);
    });

    it(`${c.name}: with --on-error skip is counted, written to rejected/, and the manifest adds up`, async () => {
      const dir = tempDir();
      const input = join(dir, c.file);
      const content = c.content();
      if (content) writeFileSync(input, content);
      const okInput = join(dir, 'ok.jsonl');
      writeFileSync(okInput, manyLines(3));
      const out = join(dir, 'out');
      const r = sieve(['signals', input, okInput, '--out', out, '--on-error', 'skip', '--workers', '2']);
      assert.equal(r.status, 0, r.stderr);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      const entry = manifest.inputs[0];
      if (typeof c.documents === 'number') assert.equal(entry.documents, c.documents);
      else assert.ok(c.documents(entry.documents), `documents: ${entry.documents}`);
      assert.equal(entry.rejected, c.rejected);
      assert.equal(manifest.inputs[1].documents, 3);
      assert.deepEqual(manifest.totals, {
        inputs: 2,
        documents: manifest.inputs[0].documents + 3,
        rejected: c.rejected,
      });
      const name = c.file.split('.')[0];
      assert.equal(entry.rejectedFile, `rejected/${name}.jsonl`);
      const rejected = readFileSync(join(out, entry.rejectedFile), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(rejected.length, c.rejected);
      assert.equal(rejected[0].code, c.code);
      assert.ok(rejected[0].file.endsWith(c.file));
      if (c.rejectedLine !== undefined) assert.equal(rejected[0].line, c.rejectedLine);
      for (const output of entry.outputs as string[]) {
        const rows = await duckdb(`SELECT count(*) AS n FROM '${join(out, output)}'`);
        assert.equal(Number(rows[0].n), entry.documents, 'the Parquet file holds exactly the documents counted');
      }
    });
  }

  it('a Parquet file without the text column: fails, or rejects all its rows with --on-error skip', async () => {
    const dir = tempDir();
    const pq = join(dir, 'notext.parquet');
    await duckdb(`COPY (SELECT range AS id, 'x' AS body FROM range(5)) TO '${pq}' (FORMAT parquet)`);
    const fail = sieve(['signals', pq, '--out', join(dir, 'a')]);
    assert.equal(fail.status, 2);
    assert.match(fail.stderr, /E_INPUT_FIELD: Parquet file has no text column "text" or "raw_content" \(columns: id, body\) at .*notext\.parquet/);
    const skip = sieve(['signals', pq, '--out', join(dir, 'b'), '--on-error', 'skip']);
    assert.equal(skip.status, 0, skip.stderr);
    const manifest = JSON.parse(readFileSync(join(dir, 'b', 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.totals, { inputs: 1, documents: 0, rejected: 5 });
  });

  it('an error mid-run in one shard leaves the other shards complete and none partial', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.jsonl'), manyLines(5000));
    writeFileSync(join(dir, 'b.jsonl'), manyLines(10) + '{broken\n');
    const out = join(dir, 'out');
    const r = sieve(['signals', join(dir, 'a.jsonl'), join(dir, 'b.jsonl'), '--out', out, '--workers', '2']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /b\.jsonl:11/);
    const left = readdirSync(out);
    assert.ok(!left.includes('b.signals.parquet'));
    assert.deepEqual(left.filter((f) => f.endsWith('.tmp')), []);
  });
});
