import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ROOT, duckdb, readJsonlGz, shared, sieve, tempDir } from '../helpers.js';
import { cardFailure, type ReferenceDoc } from './rpv2-card.js';
import { runExample } from './run-example.js';

function jsonLines(path: string): Record<string, unknown>[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

const FIXTURE = join(ROOT, 'fixtures', 'quickstart.jsonl');
const fixtureDocs = () => readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string });

describe('examples run (issue 10)', () => {
  it('quickstart.ts: signals, a word-count histogram that matches them, the C4 recipe and its report', async () => {
    const out = tempDir();
    const stdout = runExample('quickstart.ts', [out]);
    assert.match(stdout, /signals for 10 documents/);
    assert.match(stdout, /c4 kept \d+ of 10; dropped \{"c4_lines":\d+/);
    const rows = await duckdb(`SELECT rps_doc_word_count // 10 * 10 AS lo, count(*) AS n FROM '${join(out, 'signals', 'quickstart.signals.parquet')}' GROUP BY lo ORDER BY lo`);
    const printed = [...stdout.matchAll(/^\s+(\d+)–\d+\s+words #+ (\d+)$/gm)].map((m) => ({ lo: Number(m[1]), n: Number(m[2]) }));
    assert.deepEqual(printed, rows.map((r) => ({ lo: Number(r.lo), n: Number(r.n) })));
    assert.match(stdout, new RegExp(`report → ${join(out, 'c4', 'report.html')}`));
    assert.match(readFileSync(join(out, 'c4', 'report.html'), 'utf8'), /<section id="signals">/);
  });

  it('c4-in-20-lines.ts: at most 20 lines of code, and it keeps byte for byte what recipes/c4.yaml keeps', () => {
    const code = readFileSync(join(ROOT, 'examples', 'c4-in-20-lines.ts'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//'));
    assert.ok(code.length <= 20, `${code.length} lines`);
    const web = shared('corpus', 'web', 'web_docs.jsonl.gz');
    const out = tempDir();
    const stdout = runExample('c4-in-20-lines.ts', [out, web]);
    const bundled = join(tempDir(), 'bundled');
    assert.equal(sieve(['run', join(ROOT, 'recipes', 'c4.yaml'), web, '--out', bundled]).status, 0);
    assert.ok(readFileSync(join(out, 'kept', 'web_docs.jsonl.gz')).equals(readFileSync(join(bundled, 'kept', 'web_docs.jsonl.gz'))));
    const m = JSON.parse(readFileSync(join(bundled, 'manifest.json'), 'utf8'));
    assert.match(stdout, new RegExp(`^C4 kept ${m.totals.kept} of 1094 documents, ${m.totals.keptCharacters} of ${m.totals.characters} characters`));
    assert.match(runExample('c4-in-20-lines.ts', [tempDir()]), /^C4 kept \d+ of 10 documents/);
  });

  it('custom-signal.ts: the registered signal decides what is kept, and the report charts it', () => {
    const out = tempDir();
    const stdout = runExample('custom-signal.ts', [out]);
    const fraction = (text: string) => (text.length === 0 ? null : (text.match(/[0-9]/g) ?? []).length / [...text].length);
    const docs = fixtureDocs();
    const expected = docs.filter((d) => fraction(d.text) !== null && (fraction(d.text) as number) <= 0.02 && !/lorem ipsum/i.test(d.text)).map((d) => d.id);
    assert.deepEqual(jsonLines(join(out, 'run', 'kept', 'quickstart.jsonl.gz')).map((d) => d.id), expected);
    const tooMany = docs.filter((d) => (fraction(d.text) ?? 0) > 0.02).length;
    assert.match(stdout, new RegExp(`^few-digits kept ${expected.length} of 10; dropped \\{"has_text":1,"few_digits":${tooMany},"no_lorem_ipsum":1\\}`));
    const report = readFileSync(join(out, 'run', 'report.html'), 'utf8');
    assert.match(report, /aria-label="my_doc_frac_digit_chars \(documents\)"[^]*?marker-label">≤ 0\.02</);
    assert.match(report, new RegExp(`<tr><td>few_digits</td><td class="text">keep</td><td>${tooMany}</td>`), 'the overlap table ran with the custom signal');
  });

  it('rpv2-shards.ts: over RPv2 shards and the reference\'s quality_signals, it keeps what the dataset card keeps', async () => {
    const own = runExample('rpv2-shards.ts', []);
    assert.match(own, /^2023-06\/0000\/en_head: kept \d+ of 5, signals from .*quality_signals\/2023-06\/0000\/en_head\.signals\.json\.gz$/m);
    assert.match(own, /^2023-06\/0001\/en_head: kept \d+ of 5, signals from .*quality_signals\/2023-06\/0001\/en_head\.signals\.json\.gz$/m);
    // Two shards of the web corpus in the RPv2 layout, with the reference code's signals under RPv2 ids.
    const inputs = await readJsonlGz(shared('corpus', 'web', 'web_docs.jsonl.gz'));
    const refs = await readJsonlGz(shared('reference', 'web_docs.signals.jsonl.gz'));
    // One document the card keeps gets a published word count of 0: only a run that reads the
    // published signals (rather than computing its own) drops it.
    const victim = refs.findIndex((r, i) => cardFailure({ id: String(r.id), text: String(inputs[i].text), signals: r.quality_signals as ReferenceDoc['signals'] }) === undefined);
    refs[victim] = { ...refs[victim], quality_signals: { ...(refs[victim].quality_signals as object), rps_doc_word_count: [[0, String(inputs[victim].text).length, 0]] } };
    const root = tempDir();
    const shards = [inputs.slice(0, 547), inputs.slice(547)];
    const expected: string[][] = [];
    shards.forEach((docs, s) => {
      const part = `000${s}`;
      mkdirSync(join(root, 'documents', '2023-06', part), { recursive: true });
      mkdirSync(join(root, 'quality_signals', '2023-06', part), { recursive: true });
      const texts = docs.map((d) => String(d.text));
      writeFileSync(join(root, 'documents', '2023-06', part, 'en_head.json.gz'), gzipSync(texts.map((t) => JSON.stringify({ raw_content: t, nlines: t.split('\n').length, language: 'en' })).join('\n') + '\n'));
      const signals = docs.map((_, i) => ({ ...refs[s * 547 + i], id: `2023-06/${part}/en_head.json.gz/${i}` }));
      writeFileSync(join(root, 'quality_signals', '2023-06', part, 'en_head.signals.json.gz'), gzipSync(signals.map((r) => JSON.stringify(r)).join('\n') + '\n'));
      const card = docs.map((d, i) => ({ id: String(d.id), text: texts[i], signals: refs[s * 547 + i].quality_signals as ReferenceDoc['signals'] }));
      expected.push(card.filter((d) => cardFailure(d) === undefined).map((d) => d.text));
    });
    const out = tempDir();
    runExample('rpv2-shards.ts', [root, out]);
    const kept = ['0000', '0001'].map((part) => jsonLines(join(out, 'gopher', 'kept', '2023-06', part, 'en_head.jsonl.gz')).map((r) => r.raw_content));
    assert.deepEqual(kept, expected);
    assert.ok(!expected.flat().includes(String(inputs[victim].text)));
    assert.ok(expected.flat().length > 300);
  });
});
