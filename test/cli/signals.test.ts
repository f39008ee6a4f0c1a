import { strict as assert } from 'node:assert';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { compress as zstdCompress } from 'zstd-napi';
import { listSignals } from '../../signals/index.js';
import { duckdb, readJsonlGz, shared, sieve, tempDir } from '../helpers.js';

const WEB = () => shared('corpus', 'web', 'web_docs.jsonl.gz');

describe('sieve signals on the web corpus (issue 2 done-when)', () => {
  let dir: string;
  let expectedIds: string[];

  before(async () => {
    dir = tempDir();
    expectedIds = (await readJsonlGz(WEB())).map((r) => String(r.id));
    assert.equal(expectedIds.length, 1094);
  });

  async function checkSignalsFile(path: string, ids: string[]): Promise<void> {
    const schema = await duckdb(`DESCRIBE SELECT * FROM '${path}'`);
    const types = Object.fromEntries(schema.map((r) => [r.column_name, r.column_type]));
    const expected: Record<string, string> = { id: 'VARCHAR', line_ends: 'UINTEGER[]' };
    for (const { signal } of listSignals()) {
      const scalar = { f64: 'DOUBLE', i64: 'BIGINT', str: 'VARCHAR', bytes: 'BLOB', bands: 'BLOB[]' }[signal.type];
      expected[signal.name] = signal.level === 'line' ? `${scalar}[]` : scalar;
    }
    assert.deepEqual(types, expected);
    assert.equal(types.rps_doc_word_count, 'BIGINT');
    assert.equal(types.rps_lines_num_words, 'BIGINT[]');
    assert.equal(schema[0].column_name, 'id', 'id is the first column');
    const rows = await duckdb(`SELECT id FROM '${path}'`);
    assert.equal(rows.length, ids.length);
    assert.deepEqual(rows.map((r) => r.id), ids, 'ids in input order');
    const aligned = await duckdb(`SELECT count(*) AS bad FROM '${path}' WHERE len(line_ends) <> len(rps_lines_num_words)`);
    assert.equal(Number(aligned[0].bad), 0, 'line signals align with line_ends');
  }

  it('writes <name>.signals.parquet that DuckDB reads with 1,094 typed rows in input order', async () => {
    const out = join(dir, 'gz');
    const r = sieve(['signals', WEB(), '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    await checkSignalsFile(join(out, 'web_docs.signals.parquet'), expectedIds);
    const summary = JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}');
    assert.equal(summary.documents, 1094);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.totals, { inputs: 1, documents: 1094, rejected: 0 });
    assert.deepEqual(manifest.inputs[0].outputs, ['web_docs.signals.parquet']);
  });

  it('reads a .zst copy the same way', async () => {
    const zst = join(dir, 'web_docs.jsonl.zst');
    writeFileSync(zst, zstdCompress(gunzipSync(readFileSync(WEB()))));
    const out = join(dir, 'zst');
    const r = sieve(['signals', zst, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    await checkSignalsFile(join(out, 'web_docs.signals.parquet'), expectedIds);
  });

  it('reads a Parquet copy written by DuckDB the same way', async () => {
    const pq = join(dir, 'web_docs.parquet');
    await duckdb(`COPY (SELECT * FROM read_json('${WEB()}', format='newline_delimited')) TO '${pq}' (FORMAT parquet)`);
    const out = join(dir, 'pq');
    const r = sieve(['signals', pq, '--out', out, '--workers', '1']);
    assert.equal(r.status, 0, r.stderr);
    await checkSignalsFile(join(out, 'web_docs.signals.parquet'), expectedIds);
  });

  it('reads the Common Crawl WET sample: one document per conversion record, id = WARC-Record-ID', async () => {
    const out = join(dir, 'wet');
    const wet = shared('corpus', 'web', 'originals', 'cc_whirlwind.warc.wet.gz');
    const r = sieve(['signals', wet, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    await checkSignalsFile(join(out, 'cc_whirlwind.signals.parquet'), ['<urn:uuid:ba729a40-ff84-4085-8d48-0a5b2ee0c42d>']);
  });

  it('gives the same bytes whatever --workers', () => {
    const inputs = [WEB(), shared('corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz'), shared('corpus', 'quality', 'dclm_human_quality.jsonl.gz')];
    const one = join(dir, 'w1');
    const two = join(dir, 'w2');
    assert.equal(sieve(['signals', ...inputs, '--out', one, '--workers', '1']).status, 0);
    assert.equal(sieve(['signals', ...inputs, '--out', two, '--workers', '2']).status, 0);
    // `.done/` holds the resume markers: one per input, the same whatever --workers.
    const files = readdirSync(one).filter((f) => f !== '.done').sort();
    assert.deepEqual(files, readdirSync(two).filter((f) => f !== '.done').sort());
    assert.equal(files.length, 4);
    assert.deepEqual(readdirSync(join(one, '.done')).sort(), readdirSync(join(two, '.done')).sort());
    assert.equal(readdirSync(join(one, '.done')).length, 3);
    for (const f of files) assert.ok(readFileSync(join(one, f)).equals(readFileSync(join(two, f))), `${f} differs between --workers 1 and 2`);
  });

  it('reads stdin with -', async () => {
    const out = join(dir, 'stdin');
    const r = sieve(['signals', '-', '--out', out], { input: readFileSync(WEB()) });
    assert.equal(r.status, 0, r.stderr);
    await checkSignalsFile(join(out, 'stdin.signals.parquet'), expectedIds);
  });

  it('selects signals by name and rejects unknown ones with a suggestion', async () => {
    const out = join(dir, 'select');
    const ok = sieve(['signals', WEB(), '--out', out, '--signals', 'rps_doc_word_count']);
    assert.equal(ok.status, 0, ok.stderr);
    const cols = (await duckdb(`DESCRIBE SELECT * FROM '${join(out, 'web_docs.signals.parquet')}'`)).map((r) => r.column_name);
    assert.deepEqual(cols, ['id', 'rps_doc_word_count']);
    const bad = sieve(['signals', WEB(), '--out', join(dir, 'bad'), '--signals', 'rps_doc_word_cout']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown signal or family "rps_doc_word_cout" \(did you mean rps_doc_word_count/);
  });

  it('copies the shipped fixture copy: the README quickstart works', () => {
    const out = join(dir, 'quickstart');
    copyFileSync(join(process.cwd(), 'fixtures', 'quickstart.jsonl'), join(dir, 'quickstart.jsonl'));
    const r = sieve(['signals', join(dir, 'quickstart.jsonl'), '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['.done', 'manifest.json', 'quickstart.signals.parquet']);
  });
});
