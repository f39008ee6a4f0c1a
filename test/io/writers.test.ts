import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { writeLines } from '../../src/io/jsonl-writer.js';
import { readDocuments } from '../../src/io/read-documents.js';
import { duckdb, seededRandom, tempDir } from '../helpers.js';

/** `count` JSON lines of about `size` characters each, some non-ASCII, all different. */
function lines(count: number, size: number): string[] {
  const random = seededRandom(7);
  const words = ['alpha', 'beta', 'γάμμα', 'delta', 'épsilon', '🙂', 'zeta'];
  return Array.from({ length: count }, (_, i) => {
    let text = '';
    while (text.length < size) text += `${words[Math.floor(random() * words.length)]} `;
    return JSON.stringify({ id: `doc-${i}`, text });
  });
}

/** Members in `bytes`: Node starts each with the same 10-byte header, which compressed data hardly repeats. */
function memberCount(bytes: Buffer): number {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03]);
  let count = 0;
  for (let at = bytes.indexOf(header); at !== -1; at = bytes.indexOf(header, at + 1)) count++;
  return count;
}

describe('writers', () => {
  it('writes .gz as gzip members a chunk of lines each, read back whole by zlib, our reader and DuckDB', async () => {
    const dir = tempDir('writers-gz');
    const path = join(dir, 'many.jsonl.gz');
    const written = lines(400, 6_000);
    assert.equal(await writeLines(path, written), written.length);
    const bytes = readFileSync(path);
    assert.ok(memberCount(bytes) >= 4, 'more than 2 M characters make several members');
    assert.equal(gunzipSync(bytes).toString('utf8'), written.join('\n') + '\n');
    const ids: string[] = [];
    for await (const batch of readDocuments(path)) ids.push(...batch.documents.map((d) => d.id));
    assert.deepEqual(ids, written.map((_, i) => `doc-${i}`));
    const [row] = await duckdb(`SELECT count(*) AS n, count(DISTINCT id) AS ids FROM read_json('${path}', format = 'newline_delimited')`);
    assert.deepEqual(row, { n: '400', ids: '400' });
    assert.deepEqual(readdirSync(dir), ['many.jsonl.gz'], 'no temporary file is left');
  });

  it('writes the same bytes every time, and a valid gzip file for no lines', async () => {
    const dir = tempDir('writers-gz-same');
    const written = lines(200, 5_000);
    await writeLines(join(dir, 'a.jsonl.gz'), written);
    await writeLines(join(dir, 'b.jsonl.gz'), (async function* () {
      yield* written;
    })());
    assert.ok(readFileSync(join(dir, 'a.jsonl.gz')).equals(readFileSync(join(dir, 'b.jsonl.gz'))));
    assert.equal(await writeLines(join(dir, 'empty.jsonl.gz'), []), 0);
    assert.equal(gunzipSync(readFileSync(join(dir, 'empty.jsonl.gz'))).length, 0);
  });

  it('writes lines given as bytes as they are, between lines given as text', async () => {
    const dir = tempDir('writers-bytes');
    const written = lines(150, 5_000);
    const mixed = written.map((l, i) => (i % 3 === 0 ? Buffer.from(l, 'utf8') : l));
    for (const name of ['mixed.jsonl.gz', 'mixed.jsonl']) {
      assert.equal(await writeLines(join(dir, name), mixed), written.length);
      const bytes = readFileSync(join(dir, name));
      assert.equal((name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'), written.join('\n') + '\n');
    }
  });

  it('leaves no file behind when the lines fail midway', async () => {
    const dir = tempDir('writers-gz-fail');
    const path = join(dir, 'broken.jsonl.gz');
    const written = lines(300, 5_000);
    async function* failing(): AsyncGenerator<string> {
      yield* written;
      throw new Error('the source broke');
    }
    await assert.rejects(writeLines(path, failing()), /the source broke/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
