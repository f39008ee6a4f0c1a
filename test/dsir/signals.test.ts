import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { fitDsirFiles } from '../../src/dsir/fit.js';
import { duckdb, shared, sieve, tempDir } from '../helpers.js';
import { SCORES_PY, runPython } from './python-oracle.js';

const DCLM = () => shared('corpus', 'quality', 'dclm_human_quality.jsonl.gz');

describe('dsir: importance signals in `sieve signals --dsir NAME=MODEL`', () => {
  let dir: string;
  let model: string;
  let expected: [number | null, number | null][];

  before(async () => {
    dir = tempDir();
    model = join(dir, 'wikitext.dsir.json');
    await fitDsirFiles({
      target: [shared('corpus', 'reference', 'wikitext2_raw_test_articles.jsonl.gz')],
      raw: [shared('corpus', 'web', 'web_docs.jsonl.gz'), DCLM()],
      out: model,
    });
    expected = JSON.parse(runPython(SCORES_PY, [model, shared('reference', 'dclm_human_quality.dsir_hash_features.jsonl.gz'), DCLM()]));
    assert.equal(expected.length, 499);
  });

  it('RPv2 and custom names give columns equal to numpy on the reference features; a model not given is null', async () => {
    const out = join(dir, 'parquet');
    const r = sieve(['signals', DCLM(), '--out', out, '--signals', 'importance', '--dsir', 'wikipedia=' + model, '--dsir', 'wikitext=' + model, '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);
    const path = join(out, 'dclm_human_quality.signals.parquet');
    const columns = (await duckdb(`DESCRIBE SELECT * FROM '${path}'`)).map((c) => `${String(c.column_name)} ${String(c.column_type)}`);
    assert.deepEqual(columns, [
      'id VARCHAR',
      'rps_doc_books_importance DOUBLE',
      'rps_doc_books_importance_length_correction DOUBLE',
      'rps_doc_openwebtext_importance DOUBLE',
      'rps_doc_openwebtext_importance_length_correction DOUBLE',
      'rps_doc_wikipedia_importance DOUBLE',
      'rps_doc_wikipedia_importance_length_correction DOUBLE',
      'rps_doc_wikitext_importance DOUBLE',
      'rps_doc_wikitext_importance_length_correction DOUBLE',
    ]);
    const rows = await duckdb(`SELECT * FROM '${path}'`);
    assert.equal(rows.length, 499);
    rows.forEach((row, i) => {
      assert.deepEqual([row.rps_doc_wikipedia_importance, row.rps_doc_wikipedia_importance_length_correction], expected[i], `row ${i}`);
      assert.deepEqual([row.rps_doc_wikitext_importance, row.rps_doc_wikitext_importance_length_correction], expected[i], `row ${i}`);
      assert.equal(row.rps_doc_books_importance, null);
      assert.equal(row.rps_doc_openwebtext_importance_length_correction, null);
    });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.options.dsir, `wikipedia=${model},wikitext=${model}`);
  });

  it('--format rpv2 writes the weights as RPv2 spans [[0, length, value]]', () => {
    const out = join(dir, 'rpv2');
    const r = sieve(['signals', DCLM(), '--out', out, '--format', 'rpv2', '--signals', 'rps_doc_wikipedia_importance,rps_doc_books_importance', '--dsir', 'wikipedia=' + model]);
    assert.equal(r.status, 0, r.stderr);
    const lines = gunzipSync(readFileSync(join(out, 'dclm_human_quality.signals.json.gz'))).toString('utf8').trim().split('\n');
    const first = JSON.parse(lines[0]).quality_signals as Record<string, [number, number, number | null][]>;
    assert.deepEqual(Object.keys(first), ['rps_doc_books_importance', 'rps_doc_wikipedia_importance']);
    assert.equal(first.rps_doc_wikipedia_importance[0][2], expected[0][0]);
    assert.equal(first.rps_doc_books_importance[0][2], null);
    assert.equal(first.rps_doc_wikipedia_importance[0][0], 0);
  });

  it('bad --dsir values, missing and malformed models stop with a one-line error and exit code 2', () => {
    const malformed = join(dir, 'malformed.json');
    writeFileSync(malformed, JSON.stringify({ format: 'pajama-sieve/dsir-model', version: 1, features: 'rpv2', buckets: 10, target: {}, raw: {} }));
    const missing = join(dir, 'missing.json');
    const cases: [string[], RegExp][] = [
      [['--dsir', 'Wiki=' + model], /E_USAGE: --dsir takes NAME=MODEL/],
      [['--dsir', 'wikipedia'], /E_USAGE: --dsir takes NAME=MODEL/],
      [['--dsir', 'w=' + model, '--dsir', 'w=' + model], /E_USAGE: --dsir names "w" twice/],
      [['--dsir', 'wikipedia=' + missing], new RegExp(`E_INPUT_MISSING: \\[dsir\\] cannot read the model .* at ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)],
      [['--dsir', 'wikipedia=' + malformed], /E_INPUT_FORMAT: \[dsir\] "target.documents" must be a positive integer at .*malformed\.json/],
    ];
    for (const [args, message] of cases) {
      const r = sieve(['signals', DCLM(), '--out', join(dir, 'bad'), ...args]);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});
