import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { RunDistributions } from '../../src/recipe/run-distributions.js';
import type { SampleRecord } from '../../src/recipe/run-samples.js';
import { ValueCounter } from '../../src/recipe/value-counts.js';
import { CARD_RULES, cardFailure, type ReferenceDoc } from '../examples/rpv2-card.js';
import { ROOT, readJsonlGz, shared, sieve, tempDir } from '../helpers.js';

type Doc = ReferenceDoc;

const CORPORA = [
  { name: 'web_docs', input: () => shared('corpus', 'web', 'web_docs.jsonl.gz'), reference: () => shared('reference', 'web_docs.signals.jsonl.gz') },
  { name: 'spamassassin_spam_bodies', input: () => shared('corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz'), reference: () => shared('reference', 'spamassassin_spam_bodies.signals.jsonl.gz') },
];
const RULES: readonly string[] = CARD_RULES;
const firstFailure = cardFailure;
const value = (d: Doc, key: string) => d.signals[key][0][2];

function readSamples(path: string): SampleRecord[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SampleRecord);
}

describe('what sieve run records for the report (issue 10)', () => {
  const dir = tempDir();
  const docs = new Map<string, Doc[]>();
  const recipe = join(ROOT, 'recipes', 'rpv2-gopher.yaml');

  before(async () => {
    for (const c of CORPORA) {
      const inputs = await readJsonlGz(c.input());
      const refs = await readJsonlGz(c.reference());
      docs.set(c.name, inputs.map((d, i) => ({ id: String(d.id), text: String(d.text), url: d.url ? String(d.url) : undefined, signals: refs[i].quality_signals as Doc['signals'] })));
    }
    for (const w of ['1', '2']) {
      const r = sieve(['run', recipe, ...CORPORA.map((c) => c.input()), '--out', join(dir, `w${w}`), '--workers', w, '--samples', '2']);
      assert.equal(r.status, 0, r.stderr);
    }
  });

  it('counts the characters left after each step; they add up to the kept characters', () => {
    const m = JSON.parse(readFileSync(join(dir, 'w1', 'manifest.json'), 'utf8'));
    CORPORA.forEach((c, i) => {
      const entry = m.inputs[i];
      let left = docs.get(c.name)!.reduce((n, d) => n + d.text.length, 0);
      assert.equal(entry.characters, left);
      for (const rule of RULES) {
        left -= docs.get(c.name)!.filter((d) => firstFailure(d) === rule).reduce((n, d) => n + d.text.length, 0);
        assert.equal(entry.charactersLeft[rule], left, `${c.name} after ${rule}`);
      }
      assert.equal(entry.charactersLeft.top_2gram, entry.keptCharacters);
    });
    for (const rule of RULES) assert.equal(m.totals.charactersLeft[rule], m.inputs[0].charactersLeft[rule] + m.inputs[1].charactersLeft[rule]);
    assert.equal(m.options.samples, 2);
  });

  it('keeps the first 2 documents each rule dropped and the first 2 kept, in input order, with their texts', () => {
    for (const c of CORPORA) {
      const samples = readSamples(join(dir, 'w1', 'samples', `${c.name}.jsonl.gz`));
      const all = docs.get(c.name)!;
      const expected = [
        ...RULES.flatMap((rule) => all.filter((d) => firstFailure(d) === rule).slice(0, 2).map((d) => ({ kind: 'dropped', rule, id: d.id }))),
        ...all.filter((d) => firstFailure(d) === undefined).slice(0, 2).map((d) => ({ kind: 'kept', id: d.id })),
      ];
      assert.deepEqual(samples.map((s) => (s.rule ? { kind: s.kind, rule: s.rule, id: s.id } : { kind: s.kind, id: s.id })), expected);
      for (const s of samples) {
        const d = all.find((x) => x.id === s.id)!;
        assert.equal(s.characters, d.text.length);
        assert.equal(s.truncated, d.text.length > 4000);
        assert.equal(s.text, d.text.slice(0, 4000));
        assert.equal(s.url, d.url);
      }
    }
  });

  it('records each step\'s values split by its verdict, over the documents that reached it', () => {
    const web = docs.get('web_docs')!;
    const dist = JSON.parse(readFileSync(join(dir, 'w1', 'distributions', 'web_docs.json'), 'utf8')) as RunDistributions;
    assert.deepEqual(dist.steps.map((s) => s.step), RULES);
    const counts = (values: number[]) => {
      const c = new ValueCounter();
      for (const v of values) c.add(v);
      return c.counts();
    };
    const words = (d: Doc) => value(d, 'rps_doc_word_count') as number;
    const first = dist.steps[0].signals[0];
    assert.equal(first.signal, 'rps_doc_word_count');
    assert.deepEqual(first.passed, counts(web.filter((d) => firstFailure(d) !== 'word_count').map(words)));
    assert.deepEqual(first.dropped, counts(web.filter((d) => firstFailure(d) === 'word_count').map(words)));
    const reached = (rule: string) => web.filter((d) => { const f = firstFailure(d); return f === undefined || RULES.indexOf(f) >= RULES.indexOf(rule); });
    dist.steps.forEach((s) => assert.equal(s.documents, reached(s.step).length, s.step));
    // A line signal in a document rule: one value per line, split by its document's verdict.
    const bullets = dist.steps[3].signals.find((s) => s.signal === 'rps_lines_start_with_bulletpoint')!;
    assert.equal(bullets.level, 'line');
    const lines = (ds: Doc[]) => counts(ds.flatMap((d) => d.signals.rps_lines_start_with_bulletpoint.map((sp) => sp[2] as number)));
    assert.deepEqual(bullets.passed, lines(reached('bullet_lines').filter((d) => firstFailure(d) !== 'bullet_lines')));
    assert.deepEqual(bullets.dropped, lines(web.filter((d) => firstFailure(d) === 'bullet_lines')));
    assert.deepEqual(dist.lengths.input, counts(web.map((d) => d.text.length)));
    assert.deepEqual(dist.lengths.kept, counts(web.filter((d) => firstFailure(d) === undefined).map((d) => d.text.length)));
    assert.deepEqual(dist.languages, { input: { en: web.length }, kept: { en: web.filter((d) => firstFailure(d) === undefined).length } });
  });

  it('writes the same samples and distributions whatever --workers', () => {
    for (const c of CORPORA) {
      for (const f of [join('samples', `${c.name}.jsonl.gz`), join('distributions', `${c.name}.json`)]) {
        assert.ok(readFileSync(join(dir, 'w1', f)).equals(readFileSync(join(dir, 'w2', f))), f);
      }
    }
  });

  it('--samples 0 writes no samples; a bad --samples is a usage error', () => {
    const out = join(dir, 'none');
    const input = join(ROOT, 'fixtures', 'quickstart.jsonl');
    assert.equal(sieve(['run', recipe, input, '--out', out, '--samples', '0']).status, 0);
    assert.equal(existsSync(join(out, 'samples')), false);
    assert.ok(existsSync(join(out, 'distributions', 'quickstart.json')));
    const bad = sieve(['run', recipe, input, '--out', join(dir, 'bad'), '--samples', '-1']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^sieve: E_USAGE: --samples takes a whole number ≥ 0, not "-1"$/m);
  });
});
