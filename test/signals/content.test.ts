import { describe, it, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  content,
  docCurlyBracket,
  docLdnoobwWords,
  docLoremIpsum,
  docStopWordFraction,
  docUt1Blacklist,
} from '../../signals/content.js';
import { SieveError } from '../../src/errors.js';
import { UT1_CATEGORIES, loadUt1Blacklist, sourceDomain, urlNetloc, ut1CategoryId } from '../../src/resources/ut1.js';
import type { NumericDocSignal, SignalContext } from '../../src/signal.js';
import { TextView, round8 } from '../../src/text/index.js';
import { readJsonlGz, shared, tempDir } from '../helpers.js';

interface DocFields {
  readonly id?: string;
  readonly url?: string;
  readonly meta?: Record<string, unknown>;
  readonly lang?: string;
  readonly ut1?: ReadonlyMap<string, number>;
}

function ctxFor(text: string, f: DocFields = {}): SignalContext {
  return {
    doc: { id: f.id ?? 'test', text, url: f.url, meta: f.meta ?? {}, location: { file: 'test' } },
    lang: f.lang ?? 'en',
    resources: f.ut1 === undefined ? {} : { ut1: f.ut1 },
  };
}

type Compute = (view: TextView, ctx: SignalContext) => number | null;

function value(fn: Compute, text: string, f: DocFields = {}): number | null {
  return fn(new TextView(text), ctxFor(text, f));
}

describe('content family', () => {
  it('declares the five RPv2 content keys in reference order', () => {
    assert.equal(content.id, 'content');
    assert.equal(content.version, 1);
    assert.deepEqual(
      content.signals.map((s) => [s.name, s.level, s.type]),
      [
        ['rps_doc_curly_bracket', 'doc', 'f64'],
        ['rps_doc_ldnoobw_words', 'doc', 'f64'],
        ['rps_doc_lorem_ipsum', 'doc', 'f64'],
        ['rps_doc_stop_word_fraction', 'doc', 'f64'],
        ['rps_doc_ut1_blacklist', 'doc', 'i64'],
      ],
    );
  });
});

describe('rps_doc_curly_bracket', () => {
  it('is 0.0 for empty text and text without braces', () => {
    assert.equal(value(docCurlyBracket, ''), 0);
    assert.equal(value(docCurlyBracket, 'no braces here'), 0);
  });
  it('counts both braces over code points of the raw text', () => {
    assert.equal(value(docCurlyBracket, '{}'), 1);
    assert.equal(value(docCurlyBracket, 'a{b}c{'), 0.5);
    assert.equal(value(docCurlyBracket, '{ab'), 0.33333333);
    // An astral character is one code point: 1/2, not 1/3 as UTF-16 length would give.
    assert.equal(value(docCurlyBracket, '\u{1F600}{'), 0.5);
  });
  it('rounds half to even like Python round(x, 8)', () => {
    // 1/512 = 0.001953125 exactly → 0.00195312 (toFixed would give 0.00195313).
    assert.equal(value(docCurlyBracket, '{' + 'a'.repeat(511)), 0.00195312);
  });
});

describe('rps_doc_ldnoobw_words', () => {
  it('is 0.0 for empty text', () => {
    assert.equal(value(docLdnoobwWords, ''), 0);
    assert.equal(value(docLdnoobwWords, ' \n\t'), 0);
  });
  it('counts unigrams on normalized words (lower-cased, ASCII punctuation removed), unrounded', () => {
    assert.equal(value(docLdnoobwWords, 'ASS ass, Ass!'), 3);
    assert.equal(value(docLdnoobwWords, 'a.s.s'), 1); // normalizes to "ass"
  });
  it('counts every listed n separately, overlaps included', () => {
    // "girl on" (2) and "girl on top" (3).
    assert.equal(value(docLdnoobwWords, 'Girl on top'), 2);
    // "ass" (1) and "eat my ass" (3).
    assert.equal(value(docLdnoobwWords, 'eat my ass'), 2);
    // "cock" (1), "big black" (2) and "black cock" (2), the bigrams overlapping.
    assert.equal(value(docLdnoobwWords, 'Big black cock.'), 3);
    // Sliding bigrams: "big black", "black big", "big black".
    assert.equal(value(docLdnoobwWords, 'big black big black'), 2);
    // "rosy palm" (2) and the 6-gram "rosy palm and her 5 sisters".
    assert.equal(value(docLdnoobwWords, 'rosy palm and her 5 sisters'), 2);
    // An n-gram needs n words: the 6-gram cannot fit in 5 words.
    assert.equal(value(docLdnoobwWords, 'rosy palm and her 5'), 1);
  });
  it('entries with punctuation never match (normalization removes it from the text)', () => {
    assert.equal(value(docLdnoobwWords, 'g-spot s&m G-SPOT'), 0);
  });
  it('upper-case and NFC-accented entries never match (the text is lower-cased and NFD)', () => {
    assert.equal(value(docLdnoobwWords, 'Culo culo CULO', { lang: 'es' }), 0); // listed as "Culo"
    assert.equal(value(docLdnoobwWords, 'asno', { lang: 'es' }), 1);
    assert.equal(value(docLdnoobwWords, 'D\u00f6del d\u00f6del', { lang: 'de' }), 0); // listed NFC "dödel"
    assert.equal(value(docLdnoobwWords, 'Arschloch!', { lang: 'de' }), 1);
    assert.equal(value(docLdnoobwWords, 'milf MILF', { lang: 'de' }), 0); // listed as "MILF"
  });
  it('uses the document language and is 0.0 for a language without a list', () => {
    assert.equal(value(docLdnoobwWords, 'Arschloch', { lang: 'en' }), 0);
    assert.equal(value(docLdnoobwWords, 'ass ass', { lang: 'pt' }), 0);
    assert.equal(value(docLdnoobwWords, 'ass ass', { lang: 'bg' }), 0);
  });
});

describe('rps_doc_lorem_ipsum', () => {
  it('is 0.0 for empty text and when the phrase is absent', () => {
    assert.equal(value(docLoremIpsum, ''), 0);
    assert.equal(value(docLoremIpsum, 'lorem dolor ipsum'), 0);
  });
  it('divides occurrences by the code points of the normalized text', () => {
    assert.equal(value(docLoremIpsum, 'Lorem Ipsum'), round8(1 / 11));
    assert.equal(value(docLoremIpsum, '  LOREM   IPSUM!  '), round8(1 / 11));
    assert.equal(value(docLoremIpsum, 'lorem ipsum lorem ipsum'), round8(2 / 23));
    assert.equal(value(docLoremIpsum, 'lorem ipsumlorem ipsum'), round8(2 / 22));
    // NFD: "été" is 5 code points in the normalized text: "lorem ipsum été" = 12 + 5.
    assert.equal(value(docLoremIpsum, 'Lorem ipsum \u00e9t\u00e9'), round8(1 / 17));
  });
  it('"lorem\\nipsum" counts (whitespace collapses), "lorem-ipsum" does not (becomes "loremipsum")', () => {
    assert.equal(value(docLoremIpsum, 'lorem\nipsum'), round8(1 / 11));
    assert.equal(value(docLoremIpsum, 'lorem-ipsum'), 0);
  });
  it('matches as Python re.IGNORECASE does on lower-cased text: ı for i and ſ for s', () => {
    // Python 3.11: re.findall('lorem ipsum', 'lorem ıpſum', re.I) == ['lorem ıpſum'].
    assert.equal(value(docLoremIpsum, 'lorem \u0131p\u017fum'), round8(1 / 11));
    // İ lower-cases to "i̇" (i + U+0307), which breaks the phrase.
    assert.equal(value(docLoremIpsum, 'lorem \u0130psum'), 0);
  });
});

describe('rps_doc_stop_word_fraction', () => {
  it('is 0.0 when there are no normalized words, even with punctuation tokens', () => {
    assert.equal(value(docStopWordFraction, ''), 0);
    assert.equal(value(docStopWordFraction, '  \n'), 0);
    assert.equal(value(docStopWordFraction, '!!! ...'), 0);
  });
  it('is case-sensitive on raw WordPunct tokens', () => {
    assert.equal(value(docStopWordFraction, 'the cat'), 0.5);
    assert.equal(value(docStopWordFraction, 'The cat'), 0);
  });
  it('counts punctuation tokens in the denominator', () => {
    assert.equal(value(docStopWordFraction, 'it, is.'), 0.5); // it , is .
  });
  it("apostrophe entries never match: don't is don ' t", () => {
    assert.equal(value(docStopWordFraction, "don't"), 0.33333333); // only "t" is a stop word
  });
  it('uses the document language', () => {
    assert.equal(value(docStopWordFraction, 'Ernst und Ordnung', { lang: 'de' }), 1);
    assert.equal(value(docStopWordFraction, 'ernst und ordnung', { lang: 'de' }), 0.33333333);
  });
  it('is null for a language without a stop-word list (multilingual input must not stop the run)', () => {
    for (const lang of ['pt', 'bg', 'fi', 'ja']) assert.equal(value(docStopWordFraction, 'the', { lang }), null);
  });
});

describe('urlNetloc (Python urlparse(url).netloc)', () => {
  // Expected values from CPython 3.11 urllib.parse.urlparse.
  const cases: Array<[string, string]> = [
    ['http://Example.COM:8080/a?b#c', 'Example.COM:8080'],
    ['https://user:pw@host.example/x', 'user:pw@host.example'],
    ['//proto.relative/x', 'proto.relative'],
    ['example.com/x', ''],
    ['http:example.com', ''],
    ['  http://lead.space/', 'lead.space'],
    ['ht\ttp://tab.in/scheme', 'tab.in'],
    ['1http://x.y/', ''],
    ['http://q.example?x=1', 'q.example'],
    ['http://h.example#frag', 'h.example'],
    ['mailto:foo@bar', ''],
    ['', ''],
    ['HTTP://UP.example/', 'UP.example'],
    ['http://a.example\n/b', 'a.example'],
    ['http://[::1]:80/', '[::1]:80'],
  ];
  for (const [url, netloc] of cases) {
    it(JSON.stringify(url), () => assert.equal(urlNetloc(url), netloc));
  }
});

describe('sourceDomain', () => {
  const doc = (meta: Record<string, unknown>, url?: string) => ({ id: 'd', text: '', url, meta, location: { file: 'test' } });
  it('prefers a string source_domain, else the url netloc, else undefined', () => {
    assert.equal(sourceDomain(doc({ source_domain: 'Given.example' }, 'http://other.example/')), 'Given.example');
    assert.equal(sourceDomain(doc({ source_domain: 7 }, 'http://other.example:81/x')), 'other.example:81');
    assert.equal(sourceDomain(doc({}, 'no-scheme.example/x')), '');
    assert.equal(sourceDomain(doc({})), undefined);
  });
});

describe('ut1CategoryId (spec §4.7)', () => {
  it('gives the spec example ids', () => {
    const examples: Array<[string[], number]> = [
      [['adult'], 0],
      [['agressif'], 1],
      [['gambling'], 8],
      [['phishing'], 10],
      [['adult', 'agressif'], 13],
      [['adult', 'mixed_adult'], 21],
      [['adult', 'porn'], 23],
      [['adult', 'mixed_adult', 'porn'], 152],
      [[...UT1_CATEGORIES], 8190],
    ];
    for (const [cats, id] of examples) assert.equal(ut1CategoryId(cats), id, cats.join(','));
  });
  it('sorts and de-duplicates the categories first', () => {
    assert.equal(ut1CategoryId(['porn', 'adult']), 23);
    assert.equal(ut1CategoryId(['porn', 'mixed_adult', 'adult', 'porn']), 152);
  });
  it('matches an independent combinatorial ranking for all 8191 combinations', () => {
    const n = UT1_CATEGORIES.length;
    const binom = (a: number, b: number): number => {
      if (b < 0 || b > a) return 0;
      let r = 1;
      for (let i = 1; i <= b; i++) r = (r * (a - b + i)) / i;
      return r;
    };
    const seen = new Set<number>();
    for (let mask = 1; mask < 1 << n; mask++) {
      const idx: number[] = [];
      for (let i = 0; i < n; i++) if (mask & (1 << i)) idx.push(i);
      const k = idx.length;
      // Ids of all smaller sizes, then the lexicographic rank among the k-combinations.
      let id = 0;
      for (let j = 1; j < k; j++) id += binom(n, j);
      let prev = -1;
      for (let p = 0; p < k; p++) {
        for (let v = prev + 1; v < idx[p]; v++) id += binom(n - 1 - v, k - 1 - p);
        prev = idx[p];
      }
      assert.equal(ut1CategoryId(idx.map((i) => UT1_CATEGORIES[i])), id);
      seen.add(id);
    }
    assert.equal(seen.size, 8191);
    assert.equal(Math.max(...seen), 8190);
  });
  it('rejects unknown categories and the empty set', () => {
    for (const cats of [['shopping'], [], ['adult', 'Adult']]) {
      assert.throws(
        () => ut1CategoryId(cats),
        (err: unknown) => err instanceof SieveError && err.code === 'E_USAGE',
      );
    }
  });
});

describe('UT1 blacklist loading and rps_doc_ut1_blacklist', () => {
  let root: string;
  let ut1: Map<string, number>;

  before(async () => {
    root = tempDir('sieve-ut1-');
    const write = (dir: string, category: string, domains: string[]): void => {
      mkdirSync(join(dir, category), { recursive: true });
      writeFileSync(join(dir, category, 'domains'), domains.join('\n') + '\n');
    };
    const dir = join(root, 'flat');
    write(dir, 'adult', ['adultsite.example', 'multi.example', 'both.example', '  spaced.example \r', '']);
    write(dir, 'porn', ['multi.example', 'both.example']);
    write(dir, 'mixed_adult', ['multi.example']);
    write(dir, 'gambling', ['casino.example']);
    write(dir, 'phishing', ['Casino.example', 'phish.example:8080']);
    // Outside the 13 configured categories: ignored, also for domains listed elsewhere.
    write(dir, 'shopping', ['shop.example', 'casino.example']);
    ut1 = await loadUt1Blacklist(dir);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('maps each domain to the id of all its configured categories', () => {
    assert.deepEqual(
      [...ut1.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      [
        ['Casino.example', 10],
        ['adultsite.example', 0],
        ['both.example', 23],
        ['casino.example', 8],
        ['multi.example', 152],
        ['phish.example:8080', 10],
        ['spaced.example', 0],
      ],
    );
  });

  it('accepts the tarball layout <dir>/blacklists/<category>/domains', async () => {
    const dir = join(root, 'tarball');
    mkdirSync(join(dir, 'blacklists', 'dating'), { recursive: true });
    writeFileSync(join(dir, 'blacklists', 'dating', 'domains'), 'date.example\n');
    assert.deepEqual([...(await loadUt1Blacklist(dir))], [['date.example', 5]]);
  });

  it('a missing directory is E_INPUT_MISSING naming it; one without categories is E_INPUT_EMPTY', async () => {
    const missing = join(root, 'nope');
    await assert.rejects(
      loadUt1Blacklist(missing),
      (err: unknown) => err instanceof SieveError && err.code === 'E_INPUT_MISSING' && err.message.includes(missing),
    );
    const empty = join(root, 'empty');
    mkdirSync(join(empty, 'shopping'), { recursive: true });
    writeFileSync(join(empty, 'shopping', 'domains'), 'shop.example\n');
    await assert.rejects(loadUt1Blacklist(empty), (err: unknown) => err instanceof SieveError && err.code === 'E_INPUT_EMPTY');
  });

  it('looks up the exact source_domain', () => {
    const v = (meta: Record<string, unknown>, url?: string): number | null => value(docUt1Blacklist, 'text', { meta, url, ut1 });
    assert.equal(v({ source_domain: 'multi.example' }), 152);
    assert.equal(v({ source_domain: 'casino.example' }), 8);
    assert.equal(v({ source_domain: 'Casino.example' }), 10);
    // No lower-casing, no www. or port stripping, no parent-domain walk.
    assert.equal(v({ source_domain: 'MULTI.example' }), null);
    assert.equal(v({ source_domain: 'www.multi.example' }), null);
    assert.equal(v({ source_domain: 'multi.example:80' }), null);
    assert.equal(v({ source_domain: 'example' }), null);
    assert.equal(v({ source_domain: 'shop.example' }), null);
    // source_domain wins over the url.
    assert.equal(v({ source_domain: 'adultsite.example' }, 'http://multi.example/'), 0);
  });

  it('falls back to the netloc of the url', () => {
    const v = (url: string | undefined, meta: Record<string, unknown> = {}): number | null =>
      value(docUt1Blacklist, 'text', { meta, url, ut1 });
    assert.equal(v('https://multi.example/path?q=1'), 152);
    assert.equal(v('http://both.example'), 23);
    assert.equal(v('http://phish.example:8080/login'), 10);
    assert.equal(v('http://multi.example:8080/'), null);
    assert.equal(v('http://user@casino.example/'), null);
    assert.equal(v('multi.example/path'), null); // no "//": empty netloc
    assert.equal(v('http://multi.example/', { source_domain: null }), 152); // not a string: ignored
    assert.equal(v(undefined), null);
  });

  it('is null without a blacklist', () => {
    assert.equal(value(docUt1Blacklist, 'text', { meta: { source_domain: 'multi.example' } }), null);
  });
});

describe('Appendix B vectors (en config, toy UT1 map)', () => {
  const toyUt1 = new Map([['badsite.example', 11]]);
  const vectors: Array<{ name: string; text: string; meta?: Record<string, unknown>; expected: Array<number | null> }> = [
    { name: 'empty', text: '', expected: [0, 0, 0, 0, null] },
    { name: 'blank_lines', text: '  \n\n \n', expected: [0, 0, 0, 0, null] },
    {
      name: 'mixed_en',
      text:
        'The QUICK brown fox... jumps over the lazy dog!\n\u2022 Item one costs 100 dollars\n  \u2013 Item two: enable JavaScript, javascript is required.\nLorem ipsum dolor sit amet { code } \u2026\nTHE END \u201d\nEmoji \ud83d\ude00 line #tag #tag2\n',
      meta: { source_domain: 'badsite.example' },
      expected: [0.00970874, 0, 0.00526316, 0.10638298, 11],
    },
    {
      name: 'repetitive',
      text: 'one two three four five six seven eight nine ten eleven twelve thirteen one two three four five six seven eight nine ten eleven twelve thirteen fourteen',
      expected: [0, 0, 0, 0.66666667, null],
    },
    {
      name: 'french_accents',
      text: "L'\u00e9t\u00e9 est tr\u00e8s chaud \u00e0 Paris. Les enfants jouent dans le jardin, et les parents regardent.",
      expected: [0, 0, 0, 0.04761905, null],
    },
  ];
  for (const vec of vectors) {
    it(vec.name, () => {
      const view = new TextView(vec.text);
      const ctx = ctxFor(vec.text, { meta: vec.meta, ut1: toyUt1 });
      const got = content.signals.map((s) => (s as NumericDocSignal).compute(view, ctx));
      assert.deepEqual(got, vec.expected);
    });
  }
  it('french_accents under the fr config: stop-word fraction 0.38095238', () => {
    const text = "L'\u00e9t\u00e9 est tr\u00e8s chaud \u00e0 Paris. Les enfants jouent dans le jardin, et les parents regardent.";
    assert.equal(value(docStopWordFraction, text, { lang: 'fr' }), 0.38095238);
  });
});

// ---------------------------------------------------------------------------------------------------
// Parity with the reference pipeline's output on the shared corpora.

const CORPORA: Array<[string, string[]]> = [
  ['web_docs', ['corpus', 'web', 'web_docs.jsonl.gz']],
  ['dclm_human_quality', ['corpus', 'quality', 'dclm_human_quality.jsonl.gz']],
  ['spamassassin_spam_bodies', ['corpus', 'spam', 'spamassassin_spam_bodies.jsonl.gz']],
];

// rps_doc_ut1_blacklist is not in the reference files (no UT1 artifact); it is tested with the fixture above.
const PARITY_SIGNALS: Array<[string, Compute]> = [
  ['rps_doc_curly_bracket', docCurlyBracket],
  ['rps_doc_ldnoobw_words', docLdnoobwWords],
  ['rps_doc_lorem_ipsum', docLoremIpsum],
  ['rps_doc_stop_word_fraction', docStopWordFraction],
];

// The reference also reports bg and fi stop-word fractions; we ship only the five pipeline languages.
const STOP_WORD_LANGS = ['en', 'de', 'fr', 'es', 'it'];

type Span = [number, number, number | null];

interface ParityDoc {
  readonly corpus: string;
  readonly id: string;
  readonly text: string;
  readonly ctx: SignalContext;
  readonly view: TextView;
  readonly signals: Record<string, Span[]>;
  readonly stopByLang: Record<string, Span[]>;
}

function snippet(text: string): string {
  return JSON.stringify(text.length > 160 ? text.slice(0, 160) + '…' : text);
}

describe('parity with the reference signals (lang en)', () => {
  const docs: ParityDoc[] = [];

  before(async () => {
    for (const [name, corpusPath] of CORPORA) {
      const inputs = await readJsonlGz(shared(...corpusPath));
      const refs = await readJsonlGz(shared('reference', `${name}.signals.jsonl.gz`));
      assert.equal(refs.length, inputs.length, `${name}: reference and corpus have different lengths`);
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i];
        const ref = refs[i];
        assert.equal(ref.id, input.id, `${name} line ${i + 1}: ids differ`);
        const text = input.text as string;
        const meta = (input.meta ?? {}) as Record<string, unknown>;
        const url = typeof input.url === 'string' ? input.url : undefined;
        docs.push({
          corpus: name,
          id: input.id as string,
          text,
          ctx: ctxFor(text, { id: input.id as string, url, meta }),
          view: new TextView(text),
          signals: ref.quality_signals as Record<string, Span[]>,
          stopByLang: (ref.extra as { stop_word_fraction_by_lang: Record<string, Span[]> }).stop_word_fraction_by_lang,
        });
      }
    }
  });

  it('covers all 3,469 documents', () => {
    assert.equal(docs.length, 3469);
  });

  for (const [key, fn] of PARITY_SIGNALS) {
    it(`${key}: every document equals the reference`, () => {
      let matched = 0;
      let firstDiff: string | undefined;
      for (const d of docs) {
        const [start, end, theirs] = d.signals[key][0];
        const ours = fn(d.view, d.ctx);
        const same = theirs === null ? ours === null : ours !== null && round8(ours) === round8(theirs);
        if (same && start === 0 && end === d.view.length) matched++;
        else firstDiff ??= `${d.corpus} ${d.id}: ours ${ours} vs theirs ${theirs} (span [${start}, ${end}], length ${d.view.length}) text ${snippet(d.text)}`;
      }
      assert.equal(matched, docs.length, `${key}: ${matched}/${docs.length} match; first difference: ${firstDiff}`);
    });
  }

  it('rps_doc_stop_word_fraction under en, de, fr, es and it equals extra.stop_word_fraction_by_lang', () => {
    for (const lang of STOP_WORD_LANGS) {
      let matched = 0;
      let firstDiff: string | undefined;
      for (const d of docs) {
        const theirs = d.stopByLang[lang][0][2];
        const ours = docStopWordFraction(d.view, { ...d.ctx, lang });
        const same = theirs === null ? ours === null : ours !== null && ours === round8(theirs);
        if (same) matched++;
        else firstDiff ??= `${d.corpus} ${d.id}: ours ${ours} vs theirs ${theirs} text ${snippet(d.text)}`;
      }
      assert.equal(matched, docs.length, `stop words ${lang}: ${matched}/${docs.length} match; first difference: ${firstDiff}`);
    }
  });
});
