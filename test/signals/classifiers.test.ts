import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { ccnetLanguage, ccnetLanguageScore } from '../../signals/ccnet.js';
import { rpsDocMlPalmScore, rpsDocMlWikipediaScore, rpsDocMlWikirefScore } from '../../signals/classifiers.js';
import { getSignal, resolveSignals } from '../../signals/index.js';
import { fastTextResources, loadFastTextResources, type FastTextResources } from '../../src/fasttext/index.js';
import { documentLanguage } from '../../src/pipeline/shard-common.js';
import type { SignalContext, SignalResources } from '../../src/signal.js';
import { round8, TextView } from '../../src/text/index.js';
import { readJsonlGz, ROOT, shared } from '../helpers.js';

const FIXTURES = join(ROOT, 'fixtures', 'fasttext');

interface Expected {
  id: string;
  labels: string[] | null;
  probs: number[] | null;
}

function ctxFor(text: string, resources: SignalResources, lang = 'en', meta: Record<string, unknown> = {}): SignalContext {
  return { doc: { id: 'test', text, meta, location: { file: 'test' } }, lang, resources };
}

describe('fastText signals (issue 8)', () => {
  let web: { id: string; text: string }[];
  let resources: FastTextResources;

  before(async () => {
    web = (await readJsonlGz(shared('corpus', 'web', 'web_docs.jsonl.gz'))) as unknown as { id: string; text: string }[];
    const data = await loadFastTextResources({
      lidModel: shared('corpus', 'models', 'lid.176.ftz'),
      classifiers: [
        // The fixture stands in for RPv1's wikiref model: hq / cc labels, as wiki / cc.
        { name: 'wikiref', path: join(FIXTURES, 'quality.bin') },
        { name: 'palm', path: join(FIXTURES, 'quality-hs.bin') },
        { name: 'wikipedia', path: join(FIXTURES, 'quality-ova.bin') },
        { name: 'dclm', path: join(FIXTURES, 'quality.ftz'), label: 'hq' },
        { name: 'first', path: join(FIXTURES, 'quality.ftz') },
      ],
    });
    assert.ok(data);
    resources = fastTextResources(data);
  });

  /** RPv2's score (spec §9.1) from fastText's own top label and probability. */
  function rpv2Scores(expected: Expected[]): (number | null)[] {
    return expected.map((e) => (e.labels === null || e.probs === null ? null : round8(e.labels[0] === '__label__cc' ? 1 - e.probs[0] : e.probs[0])));
  }

  const cases = [
    { key: 'rps_doc_ml_wikiref_score', signal: rpsDocMlWikirefScore, model: 'quality.bin', lang: 'en' },
    { key: 'rps_doc_ml_palm_score', signal: rpsDocMlPalmScore, model: 'quality-hs.bin', lang: 'en' },
    { key: 'rps_doc_ml_wikipedia_score', signal: rpsDocMlWikipediaScore, model: 'quality-ova.bin', lang: 'de' },
  ];
  for (const { key, signal, model, lang } of cases) {
    it(`${key}: p of fastText's own top label, or 1 − p for __label__cc, rounded to 8 decimals, on every web document (${model})`, async () => {
      const expected = rpv2Scores((await readJsonlGz(join(FIXTURES, 'expected', `${model}.web_docs.jsonl.gz`))) as unknown as Expected[]);
      const got = web.map((d) => signal(new TextView(d.text), ctxFor(d.text, resources, lang)));
      assert.deepEqual(got, expected);
      assert.equal(got.filter((v) => v === null).length, 17, 'empty documents are null');
      assert.ok(got.some((v) => v !== null && v < 0.5) && got.some((v) => v !== null && v > 0.5));
    });
  }

  it('are null in languages RPv2 has no such model for, and without the classifier', () => {
    const text = 'Some English text that the classifiers would score.';
    const view = new TextView(text);
    assert.equal(rpsDocMlWikirefScore(view, ctxFor(text, resources, 'de')), null);
    assert.equal(rpsDocMlPalmScore(view, ctxFor(text, resources, 'fr')), null);
    assert.equal(rpsDocMlWikipediaScore(view, ctxFor(text, resources, 'en')), null);
    for (const lang of ['de', 'fr', 'es', 'it']) assert.notEqual(rpsDocMlWikipediaScore(view, ctxFor(text, resources, lang)), null);
    for (const signal of [rpsDocMlWikirefScore, rpsDocMlPalmScore]) assert.equal(signal(view, ctxFor(text, {}, 'en')), null);
  });

  it("fasttext:<name> is the probability of the chosen label as fastText reports it (the model's first label by default)", async () => {
    const expected = (await readJsonlGz(join(FIXTURES, 'expected', 'quality.ftz.web_docs.jsonl.gz'))) as unknown as Expected[];
    const dclm = getSignal('fasttext:dclm').signal;
    const first = getSignal('fasttext:first').signal;
    const firstLabel = resources.classifiers.get('first')!.model.labels[0];
    web.forEach((d, i) => {
      const e = expected[i];
      const view = new TextView(d.text);
      const ctx = ctxFor(d.text, resources);
      const probOf = (label: string) => (e.labels === null ? null : e.probs![e.labels.indexOf(label)]);
      assert.equal(dclm.compute(view, ctx), probOf('__label__hq'), d.id);
      assert.equal(first.compute(view, ctx), probOf(firstLabel), d.id);
    });
    assert.equal(getSignal('fasttext:nothing').signal.compute(new TextView('text'), ctxFor('text', resources)), null);
    assert.deepEqual(resolveSignals(['rps_doc_word_count', 'fasttext:dclm', 'classifiers']).map((r) => r.signal.name), [
      'rps_doc_word_count',
      'rps_doc_ml_palm_score',
      'rps_doc_ml_wikipedia_score',
      'rps_doc_ml_wikiref_score',
      'fasttext:dclm',
    ]);
  });

  it("ccnet_language and ccnet_language_score: the record's own fields, else CCNet's lid.176 result (the reference on every web document), else null", async () => {
    const reference = await readJsonlGz(shared('reference', 'web_docs.lid176.jsonl.gz'));
    web.forEach((d, i) => {
      const view = new TextView(d.text);
      const ctx = ctxFor(d.text, resources);
      assert.equal(ccnetLanguage(view, ctx), reference[i].label, d.id);
      assert.equal(ccnetLanguageScore(view, ctx), reference[i].score, d.id);
    });
    const given = ctxFor('Ceci est un texte.', resources, 'en', { language: 'xx', language_score: 0.42 });
    assert.equal(ccnetLanguage(new TextView('Ceci est un texte.'), given), 'xx');
    assert.equal(ccnetLanguageScore(new TextView('Ceci est un texte.'), given), 0.42);
    assert.equal(ccnetLanguage(new TextView('Ceci est un texte.'), ctxFor('Ceci est un texte.', {})), null);
    assert.equal(ccnetLanguageScore(new TextView('Ceci est un texte.'), ctxFor('Ceci est un texte.', {})), null);
  });

  it('the document language is --lang, else its own field, else the --lid-model prediction, else en', () => {
    const doc = (text: string, meta: Record<string, unknown> = {}) => ({ id: 'd', text, meta, location: { file: 'test' } });
    const french = 'Le chat dort sur le canapé pendant que la pluie tombe.';
    assert.equal(documentLanguage(doc(french), 'de', resources), 'de');
    assert.equal(documentLanguage(doc(french, { language: 'it' }), undefined, resources), 'it');
    assert.equal(documentLanguage(doc(french), undefined, resources), 'fr');
    assert.equal(documentLanguage(doc(french), undefined, {}), 'en');
    assert.equal(documentLanguage(doc(''), undefined, resources), 'en');
  });
});
