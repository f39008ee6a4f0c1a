import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { readJsonlGz, ROOT, shared, sieve, tempDir, duckdb } from '../helpers.js';

type Spans = [number, number, number | null][];
interface Reference {
  id: string;
  quality_signals: Record<string, Spans>;
}

const WEB = () => shared('corpus', 'web', 'web_docs.jsonl.gz');
const value = (r: Reference, key: string) => r.quality_signals[key][0][2];

function keptIds(out: string, name = 'web_docs'): string[] {
  return gunzipSync(readFileSync(join(out, 'kept', `${name}.jsonl.gz`)))
    .toString('utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => String((JSON.parse(l) as { id: string }).id));
}

describe('sieve run (issue 4)', () => {
  let reference: Reference[];
  let texts: Map<string, string>;
  let rawLines: Map<string, string>;
  const dir = tempDir();

  before(async () => {
    reference = (await readJsonlGz(shared('reference', 'web_docs.signals.jsonl.gz'))) as unknown as Reference[];
    const docs = await readJsonlGz(WEB());
    texts = new Map(docs.map((d) => [String(d.id), String(d.text)]));
    rawLines = new Map(gunzipSync(readFileSync(WEB())).toString('utf8').trim().split('\n').map((l) => [String((JSON.parse(l) as { id: string }).id), l]));
  });

  it('rpv2-gopher.yaml keeps exactly what the dataset card\'s gopher_rules_pass keeps on the reference values', () => {
    // The card's Python, on the reference values, with ccnet_nlines = len(text.split("\n")).
    const expected = reference.filter((r) => {
      const words = value(r, 'rps_doc_word_count') as number;
      if (words < 50 || words > 100_000) return false;
      const mwl = value(r, 'rps_doc_mean_word_length') as number;
      if (mwl < 3 || mwl > 10) return false;
      if ((value(r, 'rps_doc_symbol_to_word_ratio') as number) > 0.1) return false;
      const nlines = texts.get(r.id)!.split('\n').length;
      const bullets = r.quality_signals.rps_lines_start_with_bulletpoint.reduce((n, s) => n + (s[2] ?? 0), 0);
      if (bullets / nlines > 0.9) return false;
      return (value(r, 'rps_doc_frac_chars_top_2gram') as number) <= 0.2;
    }).map((r) => r.id);
    const out = join(dir, 'rpv2-gopher');
    const r = sieve(['run', join(ROOT, 'recipes', 'rpv2-gopher.yaml'), WEB(), '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(keptIds(out), expected);
    assert.ok(expected.length > 500 && expected.length < 1094);
  });

  it('gopher.yaml keeps exactly what the Gopher paper rules keep on the reference values', () => {
    const limits: [string, number][] = [
      ['rps_doc_symbol_to_word_ratio', 0.1], ['rps_doc_frac_lines_end_with_ellipsis', 0.3], ['rps_doc_frac_no_alph_words', 0.2],
      ['rps_doc_frac_chars_top_2gram', 0.2], ['rps_doc_frac_chars_top_3gram', 0.18], ['rps_doc_frac_chars_top_4gram', 0.16],
      ['rps_doc_frac_chars_dupe_5grams', 0.15], ['rps_doc_frac_chars_dupe_6grams', 0.14], ['rps_doc_frac_chars_dupe_7grams', 0.13],
      ['rps_doc_frac_chars_dupe_8grams', 0.12], ['rps_doc_frac_chars_dupe_9grams', 0.11], ['rps_doc_frac_chars_dupe_10grams', 0.1],
    ];
    const expected = reference.filter((r) => {
      const words = value(r, 'rps_doc_word_count') as number;
      const mwl = value(r, 'rps_doc_mean_word_length');
      if (words < 50 || words > 100_000 || mwl === null || mwl < 3 || mwl > 10) return false;
      const lines = r.quality_signals.rps_lines_start_with_bulletpoint;
      if (lines.reduce((n, s) => n + (s[2] ?? 0), 0) / lines.length > 0.9) return false;
      return limits.every(([k, max]) => (value(r, k) as number) <= max);
    }).map((r) => r.id);
    const out = join(dir, 'gopher');
    const r = sieve(['run', join(ROOT, 'recipes', 'gopher.yaml'), WEB(), '--out', out, '--workers', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(keptIds(out), expected);
  });

  it('c4.yaml: at most 20 lines of YAML, and its line step changes the sentence counts the page rules see', async () => {
    const yaml = readFileSync(join(ROOT, 'recipes', 'c4.yaml'), 'utf8');
    const lines = yaml.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    assert.ok(lines.length <= 20, `${lines.length} lines`);
    const out = join(dir, 'c4');
    const r = sieve(['run', join(ROOT, 'recipes', 'c4.yaml'), WEB(), '--out', out, '--keep-signals']);
    assert.equal(r.status, 0, r.stderr);
    const rows = await duckdb(`SELECT id, rps_doc_num_sentences AS s FROM '${join(out, 'signals', 'web_docs.signals.parquet')}'`);
    const before = new Map(reference.map((x) => [x.id, value(x, 'rps_doc_num_sentences')]));
    const changed = rows.filter((row) => row.s !== before.get(String(row.id)));
    assert.ok(changed.length > 100, `only ${changed.length} documents changed their sentence count`);
    assert.ok(changed.every((row) => (row.s as number) <= (before.get(String(row.id)) as number)), 'dropping lines never adds sentences');
    const kept = gunzipSync(readFileSync(join(out, 'kept', 'web_docs.jsonl.gz'))).toString('utf8').trim().split('\n');
    let verbatim = 0;
    for (const line of kept) {
      const rec = JSON.parse(line) as { id: string; text: string };
      if (line === rawLines.get(rec.id)) verbatim++;
      else {
        const original = JSON.parse(rawLines.get(rec.id)!) as Record<string, unknown>;
        assert.deepEqual({ ...rec, text: original.text }, original, 'only the text changes');
        assert.ok(rec.text.length < String(original.text).length);
      }
    }
    assert.ok(verbatim > 0 && verbatim < kept.length, 'unchanged documents are written back byte for byte, rewritten ones differ');
  });

  it('writes a manifest where every document is kept, dropped by its first failing rule, or rejected', () => {
    const input = join(dir, 'mixed.jsonl');
    const lines = gunzipSync(readFileSync(WEB())).toString('utf8').trim().split('\n').slice(0, 200);
    writeFileSync(input, [...lines.slice(0, 100), '{not json', ...lines.slice(100)].join('\n') + '\n');
    const out = join(dir, 'manifest');
    const r = sieve(['run', join(ROOT, 'recipes', 'gopher.yaml'), input, WEB(), '--out', out, '--on-error', 'skip', '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    for (const entry of [...m.inputs, m.totals]) {
      const dropped = Object.values(entry.dropped as Record<string, number>).reduce((a, b) => a + b, 0);
      assert.equal(entry.kept + dropped, entry.documents);
    }
    assert.equal(m.inputs[0].documents, 200);
    assert.equal(m.inputs[0].rejected, 1);
    assert.equal(m.totals.documents, 1294);
    assert.deepEqual(Object.keys(m.totals.dropped), m.recipe.steps.map((s: { name: string }) => s.name));
  });

  it('reuses precomputed signals joined by id (RPv2 json.gz or our Parquet) instead of recomputing', async () => {
    const recipe = join(ROOT, 'recipes', 'gopher.yaml');
    const computed = join(dir, 'computed');
    assert.equal(sieve(['run', recipe, WEB(), '--out', computed, '--workers', '1']).status, 0);
    // The reference file, with one kept document's word count set to 0: that document must now be dropped.
    const victim = keptIds(computed)[0];
    const sigDir = join(dir, 'rpv2-signals');
    const { mkdirSync } = await import('node:fs');
    const { gzipSync } = await import('node:zlib');
    mkdirSync(sigDir, { recursive: true });
    const altered = reference.map((r) => (r.id === victim ? { ...r, quality_signals: { ...r.quality_signals, rps_doc_word_count: [[0, 1, 0]] } } : r));
    writeFileSync(join(sigDir, 'web_docs.signals.json.gz'), gzipSync(altered.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    const reused = join(dir, 'reused');
    const r = sieve(['run', recipe, WEB(), '--out', reused, '--signals', sigDir, '--workers', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(keptIds(reused), keptIds(computed).filter((id) => id !== victim));
    const m = JSON.parse(readFileSync(join(reused, 'manifest.json'), 'utf8'));
    assert.equal(m.inputs[0].signalsFrom, join(sigDir, 'web_docs.signals.json.gz'));
    // Our own Parquet output gives exactly the computed result.
    const pq = join(dir, 'pq-signals');
    assert.equal(sieve(['signals', WEB(), '--out', pq]).status, 0);
    const fromParquet = join(dir, 'from-parquet');
    assert.equal(sieve(['run', recipe, WEB(), '--out', fromParquet, '--signals', pq]).status, 0);
    assert.ok(readFileSync(join(fromParquet, 'kept', 'web_docs.jsonl.gz')).equals(readFileSync(join(computed, 'kept', 'web_docs.jsonl.gz'))));
  });

  it('a precomputed line signal that does not fit the text\'s lines is an error naming the document', async () => {
    // A consistent signals file (one line per document in line_ends and in the signal) applied to texts
    // with more lines: mixed with a line signal computed from the text, the counts cannot agree.
    const arrow = await import('apache-arrow');
    const { writeParquet } = await import('../../src/io/parquet-writer.js');
    const ids = (await readJsonlGz(WEB())).map((d) => String(d.id));
    const lists = (f: (i: number) => number) => arrow.vectorFromArray(ids.map((_, i) => [f(i)]), new arrow.List(new arrow.Field('item', new arrow.Float64(), true)));
    const table = new arrow.Table({ id: arrow.vectorFromArray(ids, new arrow.Utf8()), line_ends: lists(() => 10), rps_lines_start_with_bulletpoint: lists(() => 0) });
    const sigDir = join(dir, 'one-line-signals');
    await writeParquet(join(sigDir, 'web_docs.signals.parquet'), (async function* () {
      yield* table.batches;
    })());
    const recipe = join(dir, 'mixed-lines.yaml');
    writeFileSync(recipe, 'name: mixed\nsteps:\n  - keep: { when: "mean(rps_lines_start_with_bulletpoint) <= 0.9 and mean(rps_lines_num_words) >= 0" }\n');
    const r = sieve(['run', recipe, WEB(), '--out', join(dir, 'mixed'), '--signals', sigDir, '--workers', '1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /E_INPUT_FIELD: .*line signal rps_lines_num_words has \d+ values for document "[^"]+", whose text has 1 lines/);
    // A line step on them alone would drop the wrong lines: refused the same way.
    const lineStep = join(dir, 'line-step.yaml');
    writeFileSync(lineStep, 'name: lines\nsteps:\n  - keep_lines: { when: "rps_lines_start_with_bulletpoint == 0" }\n');
    const l = sieve(['run', lineStep, WEB(), '--out', join(dir, 'line-step'), '--signals', sigDir, '--workers', '1']);
    assert.notEqual(l.status, 0);
    assert.match(l.stderr, /E_INPUT_FIELD: .*precomputed line signals have 1 values for document "[^"]+", whose text has \d+ lines/);
  });

  it('gives the same kept bytes whatever --workers', () => {
    const a = join(dir, 'w1');
    const b = join(dir, 'w2');
    const inputs = [WEB(), shared('corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz')];
    assert.equal(sieve(['run', join(ROOT, 'recipes', 'c4.yaml'), ...inputs, '--out', a, '--workers', '1']).status, 0);
    assert.equal(sieve(['run', join(ROOT, 'recipes', 'c4.yaml'), ...inputs, '--out', b, '--workers', '2']).status, 0);
    for (const f of ['kept/web_docs.jsonl.gz', 'kept/spamassassin_spam_bodies.jsonl.gz', 'manifest.json']) {
      assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
    }
  });
});

describe('malformed recipes (issue 4)', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown signal', 'name: x\nsteps:\n  - keep: rps_doc_word_cout >= 50\n', /:3:11 unknown signal "rps_doc_word_cout" \(did you mean rps_doc_word_count\?\)/],
    ['YAML syntax', 'name: x\nsteps:\n  - keep: [unclosed\n', /:\d+:\d+ YAML: /],
    ['unknown step', 'name: x\nsteps:\n  - filter: rps_doc_word_count > 1\n', /:3:5 unknown step "filter"/],
    ['missing steps', 'name: x\n', /:1:1 the recipe has no `steps`/],
    ['= instead of ==', 'name: x\nsteps:\n  - keep: rps_doc_word_count = 5\n', /:3:30 .*==/],
    ['dangling operator', 'name: x\nsteps:\n  - keep: "rps_doc_word_count >="\n', /:3:\d+ expected a value after ">="/],
    ['line signal in a document rule', 'name: x\nsteps:\n  - keep: rps_lines_num_words > 3\n', /:3:11 .*rps_lines_num_words/],
    ['aggregate in a line rule', 'name: x\nsteps:\n  - keep_lines: sum(rps_lines_num_words) > 3\n', /:3:17 /],
    ['not a boolean rule', 'name: x\nsteps:\n  - keep: rps_doc_word_count + 1\n', /:3:11 /],
    ['unknown key in a step', 'name: x\nsteps:\n  - keep: { name: a, rule: rps_doc_word_count > 1 }\n', /:3:\d+ unknown key "rule" in a keep step/],
    ['comma split in a flow mapping', 'name: x\nsteps:\n  - keep: { name: a, when: between(rps_doc_word_count, 1, 5) }\n', /:3:56 unknown key "1" .*put the rule in quotes/],
    ['string compared with <', "name: x\nsteps:\n  - keep: rps_doc_word_count < 'a'\n", /:3:\d+ /],
  ];
  for (const [title, yaml, message] of cases) {
    it(`${title}: one line with file:line:col, exit 2, no stack trace`, () => {
      const dir = tempDir();
      const recipe = join(dir, 'bad.yaml');
      writeFileSync(recipe, yaml);
      const r = sieve(['run', recipe, join(ROOT, 'fixtures', 'quickstart.jsonl'), '--out', join(dir, 'out')]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^${recipe.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${message.source}`, 'm'));
      assert.match(r.stderr, /^sieve: E_RECIPE: /m);
      assert.doesNotMatch(r.stderr, /\n\s+at .*\.(js|ts):\d+/);
    });
  }
});
