import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { ROOT, duckdb, readJsonlGz, shared, tempDir, type CliResult } from '../helpers.js';
import { RECIPE, readManifest, webLines } from './hostile.js';

/** Bytes of text in the large document. */
const SIZE = 100_000_000;
/** Peak RSS allowed for one command on it: it takes about 23 bytes per byte of text (README). */
const PEAK_LIMIT_KB = 3 * 2 ** 20;

/** Runs the CLI with its peak RSS (kB, worker threads included) measured by the `peak-rss.mjs` preload. */
function sieveWithPeak(args: readonly string[], dir: string): Promise<CliResult & { peakKb: number }> {
  const file = join(dir, `peak-${args[0]}.txt`);
  const argv = ['--import', pathToFileURL(join(ROOT, 'test', 'hostile', 'peak-rss.mjs')).href, join(ROOT, 'bin', 'sieve.js'), ...args];
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, SIEVE_PEAK_RSS_FILE: file } }, (err, stdout, stderr) => {
      const status = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ status, stdout, stderr, peakKb: Number(readFileSync(file, 'utf8')) });
    });
  });
}

// Each command reads and holds it whole; run computes the recipe's signals (repetition among them),
// signals the word count and the line lists, dedup its exact key (MinHash on it costs another 15 s of
// CPU and the same memory as the others: measured, not repeated here). Two at a time: ~2.3 GB each.
describe('a 100 MB document: processed like any other, in bounded memory (issue 9)', { concurrency: 2 }, () => {
  const dir = tempDir('sieve-large-');
  const input = join(dir, 'large.jsonl');
  /** The reference's word count of the web documents the large one is made of, summed. */
  let expectedWords = 0;
  /** Its lines (spec §2.4: split after each `\n`, no empty line after a last one). */
  let expectedLines = 0;

  before(async () => {
    const docs = await readJsonlGz(shared('corpus', 'web', 'web_docs.jsonl.gz'));
    const reference = await readJsonlGz(shared('reference', 'web_docs.signals.jsonl.gz'));
    // Whole web documents joined by newlines: a word never spans a newline, so word counts add up.
    const parts: string[] = [];
    let bytes = 0;
    for (let i = 0; bytes < SIZE; i++) {
      const k = i % docs.length;
      assert.equal(reference[k].id, docs[k].id);
      const text = String(docs[k].text);
      parts.push(text);
      bytes += Buffer.byteLength(text) + 1;
      expectedWords += (reference[k].quality_signals as Record<string, [number, number, number][]>).rps_doc_word_count[0][2];
    }
    const text = parts.join('\n');
    expectedLines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const [first, last] = webLines(2, 'small');
    writeFileSync(input, `${first}\n${JSON.stringify({ id: 'large', text })}\n${last}\n`);
  });

  it('sieve signals: the word count equal to the reference summed over its parts, and its line lists', async () => {
    const out = join(dir, 'signals');
    const r = await sieveWithPeak(['signals', input, '--out', out, '--signals', 'rps_doc_word_count,lines'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readManifest(out).totals, { inputs: 1, documents: 3, rejected: 0 });
    const rows = await duckdb(`SELECT id, rps_doc_word_count AS words, len(line_ends) AS lines, len(rps_lines_num_words) AS counted FROM '${join(out, 'large.signals.parquet')}'`);
    assert.deepEqual(rows.map((row) => row.id), ['small-0', 'large', 'small-1']);
    assert.equal(Number(rows[1].words), expectedWords);
    assert.equal(Number(rows[1].lines), expectedLines);
    assert.equal(Number(rows[1].counted), expectedLines);
    assert.ok(r.peakKb < PEAK_LIMIT_KB, `peak RSS ${Math.round(r.peakKb / 1024)} MB`);
  });

  it('sieve run: recipe rules applied to it (Gopher drops it for its word count)', async () => {
    const out = join(dir, 'run');
    const r = await sieveWithPeak(['run', RECIPE, input, '--out', out], dir);
    assert.equal(r.status, 0, r.stderr);
    const m = readManifest(out);
    const entry = m.inputs[0];
    assert.equal(entry.documents, 3);
    assert.equal(entry.rejected, 0);
    assert.ok((entry.dropped?.word_count ?? 0) >= 1, JSON.stringify(entry.dropped));
    assert.ok(r.peakKb < PEAK_LIMIT_KB, `peak RSS ${Math.round(r.peakKb / 1024)} MB`);
  });

  it('sieve dedup: it is keyed like the small ones', async () => {
    const out = join(dir, 'dedup');
    const r = await sieveWithPeak(['dedup', input, '--out', out, '--method', 'exact'], dir);
    assert.equal(r.status, 0, r.stderr);
    const totals = readManifest(out).totals as { documents: number; rejected: number; keyed?: number };
    assert.equal(totals.documents, 3);
    assert.equal(totals.rejected, 0);
    assert.equal(totals.keyed, 3);
    assert.ok(r.peakKb < PEAK_LIMIT_KB, `peak RSS ${Math.round(r.peakKb / 1024)} MB`);
  });
});
