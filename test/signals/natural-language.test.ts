import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import {
  docFracAllCapsWords,
  docFracLinesEndWithEllipsis,
  docFracNoAlphWords,
  docFracUniqueWords,
  docMeanWordLength,
  docNumSentences,
  docSymbolToWordRatio,
  docUnigramEntropy,
  docWordCount,
  naturalLanguage,
} from '../../signals/natural-language.js';
import { TextView } from '../../src/text/index.js';
import { loadParityDocs, type ParityDoc } from '../helpers.js';

type DocFn = (view: TextView) => number | null;

/** The family's signals by RPv2 key. */
const FNS: Record<string, DocFn> = {
  rps_doc_frac_all_caps_words: docFracAllCapsWords,
  rps_doc_frac_lines_end_with_ellipsis: docFracLinesEndWithEllipsis,
  rps_doc_frac_no_alph_words: docFracNoAlphWords,
  rps_doc_frac_unique_words: docFracUniqueWords,
  rps_doc_mean_word_length: docMeanWordLength,
  rps_doc_num_sentences: docNumSentences,
  rps_doc_symbol_to_word_ratio: docSymbolToWordRatio,
  rps_doc_unigram_entropy: docUnigramEntropy,
  rps_doc_word_count: docWordCount,
};

const KEYS = Object.keys(FNS);

function on(fn: DocFn, text: string): number | null {
  return fn(new TextView(text));
}

describe('natural-language family', () => {
  it('lists the nine signals in RPv2 key order, doc level, word count i64 and the rest f64', () => {
    assert.equal(naturalLanguage.id, 'natural-language');
    assert.equal(naturalLanguage.version, 1);
    assert.deepEqual(naturalLanguage.signals.map((s) => s.name), KEYS);
    for (const s of naturalLanguage.signals) {
      assert.equal(s.level, 'doc');
      assert.equal(s.type, s.name === 'rps_doc_word_count' ? 'i64' : 'f64');
      assert.equal(s.compute, FNS[s.name] as unknown);
    }
  });
});

describe('empty and blank documents', () => {
  it('empty: counts are 0, every ratio is null', () => {
    const v = new TextView('');
    assert.equal(docNumSentences(v), 0);
    assert.equal(docWordCount(v), 0);
    for (const fn of [docMeanWordLength, docSymbolToWordRatio, docFracLinesEndWithEllipsis, docFracNoAlphWords, docFracUniqueWords, docUnigramEntropy, docFracAllCapsWords]) {
      assert.equal(fn(v), null, fn.name);
    }
  });

  it('whitespace only: the lines exist (ellipsis 0.0), the words do not (null)', () => {
    for (const text of ['  \n\n \n', '\u00a0\u3000\u0085\u001c']) {
      const v = new TextView(text);
      assert.equal(docFracLinesEndWithEllipsis(v), 0);
      assert.equal(docNumSentences(v), 0);
      assert.equal(docWordCount(v), 0);
      for (const fn of [docMeanWordLength, docSymbolToWordRatio, docFracNoAlphWords, docFracUniqueWords, docUnigramEntropy, docFracAllCapsWords]) {
        assert.equal(fn(v), null, `${fn.name} on ${JSON.stringify(text)}`);
      }
    }
  });

  it('U+FEFF is not Python whitespace: one raw word, one normalized word', () => {
    const v = new TextView('\ufeff');
    assert.equal(docFracNoAlphWords(v), 1);
    assert.equal(docFracAllCapsWords(v), 0);
    assert.equal(docSymbolToWordRatio(v), 0);
    assert.equal(docWordCount(v), 1);
    assert.equal(docMeanWordLength(v), 1);
    assert.equal(docFracUniqueWords(v), 1);
    assert.equal(docUnigramEntropy(v), 0);
    assert.equal(docNumSentences(v), 0);
  });
});

describe('rps_doc_num_sentences', () => {
  const cases: Array<[string, number]> = [
    ['Hello world. How are you? Fine!', 3],
    ['a!b?c', 3],
    // Unicode `\b`: a boundary before é (JS `\b` is ASCII-only and would see none).
    ['é.', 1],
    ['x.é', 2],
    ['Ωmega... ΑΒΓ?! 3.14', 4],
    // `[^.!?]` spans newlines.
    ['a\nb\nc', 1],
    ['...hi', 1],
    ['—— !! ??', 0],
    // Combining marks are not `\w`.
    ['\u0301.', 0],
    ['_.', 1],
    ['😀 hi.', 1],
    ['𝐀.𝐁', 2],
    // The ideographic full stop is not a terminator.
    ['一。二', 1],
    ['\ud800.a', 1],
    ['', 0],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => assert.equal(on(docNumSentences, text), expected));
  }
});

describe('rps_doc_mean_word_length', () => {
  it('code points of normalized words, NFD accents count', () => {
    assert.equal(on(docMeanWordLength, 'a bb ccc'), 2);
    assert.equal(on(docMeanWordLength, 'Été'), 5);
    assert.equal(on(docMeanWordLength, '😀 ab'), 1.5);
    assert.equal(on(docMeanWordLength, "don't stop"), 4);
    assert.equal(on(docMeanWordLength, 'a bb bb'), 1.66666667);
  });

  it('null when only punctuation (no normalized words)', () => {
    assert.equal(on(docMeanWordLength, '!!! ???'), null);
  });
});

describe('rps_doc_symbol_to_word_ratio', () => {
  it('non-overlapping str.count of "..."', () => {
    assert.equal(on(docSymbolToWordRatio, '.....'), 1);
    assert.equal(on(docSymbolToWordRatio, '......'), 2);
    assert.equal(on(docSymbolToWordRatio, '........'), 2);
  });

  it('#, ... and … over raw words (punctuation tokens count)', () => {
    assert.equal(on(docSymbolToWordRatio, '#a ... …'), 0.75);
    assert.equal(on(docSymbolToWordRatio, '##tag'), 1);
    assert.equal(on(docSymbolToWordRatio, 'a….'), 0.5);
    assert.equal(on(docSymbolToWordRatio, 'no symbols'), 0);
  });
});

describe('rps_doc_frac_lines_end_with_ellipsis', () => {
  it('blank lines are in the denominator', () => {
    assert.equal(on(docFracLinesEndWithEllipsis, 'a...\n\nb…  \nc..'), 0.5);
    assert.equal(on(docFracLinesEndWithEllipsis, '\n\n\nend...'), 0.25);
    assert.equal(on(docFracLinesEndWithEllipsis, 'a..\n.b'), 0);
    assert.equal(on(docFracLinesEndWithEllipsis, '....'), 1);
  });

  it('rstrip uses Python whitespace: U+0085 is stripped, U+FEFF is not', () => {
    assert.equal(on(docFracLinesEndWithEllipsis, 'x...\u0085'), 1);
    assert.equal(on(docFracLinesEndWithEllipsis, 'x…\u3000\r\n'), 1);
    assert.equal(on(docFracLinesEndWithEllipsis, 'x...\ufeff'), 0);
  });
});

describe('rps_doc_frac_no_alph_words', () => {
  it('ASCII letters only: accented, Cyrillic and punctuation tokens are "no alpha"', () => {
    assert.equal(on(docFracNoAlphWords, 'ü 123 abc ! Привет'), 0.8);
    assert.equal(on(docFracNoAlphWords, 'über'), 0);
    assert.equal(on(docFracNoAlphWords, 'Ωmega'), 0);
    assert.equal(on(docFracNoAlphWords, 'Ω'), 1);
    assert.equal(on(docFracNoAlphWords, 'a ! ?'), 0.66666667);
  });
});

describe('rps_doc_frac_unique_words and rps_doc_unigram_entropy', () => {
  it('on normalized words', () => {
    assert.equal(on(docFracUniqueWords, 'a a b'), 0.66666667);
    assert.equal(on(docFracUniqueWords, 'x x x'), 0.33333333);
    assert.equal(on(docFracUniqueWords, 'The the THE'), 0.33333333);
    assert.equal(on(docFracUniqueWords, 'a b c d'), 1);
    // NFD "été" and "ete" are different words.
    assert.equal(on(docFracUniqueWords, 'Été ete'), 1);
  });

  it('entropy with the natural log', () => {
    // -(2/3)ln(2/3) - (1/3)ln(1/3) = 0.27031007 + 0.36620410
    assert.equal(on(docUnigramEntropy, 'a a b'), 0.63651417);
    assert.equal(on(docUnigramEntropy, 'x x x'), 0);
    // ln 4, ln 2
    assert.equal(on(docUnigramEntropy, 'a b c d'), 1.38629436);
    assert.equal(on(docUnigramEntropy, 'Été ete'), 0.69314718);
  });
});

describe('rps_doc_frac_all_caps_words', () => {
  it('Python isupper on raw tokens: needs a cased character, no lower or title case', () => {
    // ABC, A1 yes; abc, 123, !!!, ǅ (title case) no.
    assert.equal(on(docFracAllCapsWords, 'ABC abc A1 123 !!! ǅ'), 0.33333333);
    assert.equal(on(docFracAllCapsWords, 'ΑΒΓ 𝐀𝐁'), 1);
    // Ⓐ is a symbol token but Uppercase.
    assert.equal(on(docFracAllCapsWords, 'Ⓐ'), 1);
    // U+0345 is a combining mark (its own token) with the Lowercase property.
    assert.equal(on(docFracAllCapsWords, 'A\u0345'), 0.5);
  });

  it("Python 3.11's Unicode 14: U+0295 is lower case", () => {
    assert.equal(on(docFracAllCapsWords, 'A\u0295'), 0);
  });
});

/** Appendix B: every natural-language value of every vector. */
const VECTORS: Array<{ name: string; raw: string; expected: Record<string, number | null> }> = [
  {
    name: 'empty',
    raw: '',
    expected: {
      rps_doc_frac_all_caps_words: null, rps_doc_frac_lines_end_with_ellipsis: null, rps_doc_frac_no_alph_words: null,
      rps_doc_frac_unique_words: null, rps_doc_mean_word_length: null, rps_doc_num_sentences: 0.0,
      rps_doc_symbol_to_word_ratio: null, rps_doc_unigram_entropy: null, rps_doc_word_count: 0,
    },
  },
  {
    name: 'blank_lines',
    raw: '  \n\n \n',
    expected: {
      rps_doc_frac_all_caps_words: null, rps_doc_frac_lines_end_with_ellipsis: 0.0, rps_doc_frac_no_alph_words: null,
      rps_doc_frac_unique_words: null, rps_doc_mean_word_length: null, rps_doc_num_sentences: 0.0,
      rps_doc_symbol_to_word_ratio: null, rps_doc_unigram_entropy: null, rps_doc_word_count: 0,
    },
  },
  {
    name: 'mixed_en',
    raw:
      'The QUICK brown fox... jumps over the lazy dog!\n\u2022 Item one costs 100 dollars\n  \u2013 Item two: enable JavaScript, javascript is required.\nLorem ipsum dolor sit amet { code } \u2026\nTHE END \u201d\nEmoji \ud83d\ude00 line #tag #tag2\n',
    expected: {
      rps_doc_frac_all_caps_words: 0.06382979, rps_doc_frac_lines_end_with_ellipsis: 0.16666667,
      rps_doc_frac_no_alph_words: 0.31914894, rps_doc_frac_unique_words: 0.89473684, rps_doc_mean_word_length: 4.02631579,
      rps_doc_num_sentences: 4.0, rps_doc_symbol_to_word_ratio: 0.08510638, rps_doc_unigram_entropy: 3.47789075,
      rps_doc_word_count: 38,
    },
  },
  {
    name: 'repetitive',
    raw: 'one two three four five six seven eight nine ten eleven twelve thirteen one two three four five six seven eight nine ten eleven twelve thirteen fourteen',
    expected: {
      rps_doc_frac_all_caps_words: 0.0, rps_doc_frac_lines_end_with_ellipsis: 0.0, rps_doc_frac_no_alph_words: 0.0,
      rps_doc_frac_unique_words: 0.51851852, rps_doc_mean_word_length: 4.66666667, rps_doc_num_sentences: 1.0,
      rps_doc_symbol_to_word_ratio: 0.0, rps_doc_unigram_entropy: 2.6283618, rps_doc_word_count: 27,
    },
  },
  {
    name: 'french_accents',
    raw: "L'\u00e9t\u00e9 est tr\u00e8s chaud \u00e0 Paris. Les enfants jouent dans le jardin, et les parents regardent.",
    expected: {
      rps_doc_frac_all_caps_words: 0.04761905, rps_doc_frac_lines_end_with_ellipsis: 0.0, rps_doc_frac_no_alph_words: 0.23809524,
      rps_doc_frac_unique_words: 0.9375, rps_doc_mean_word_length: 4.6875, rps_doc_num_sentences: 2.0,
      rps_doc_symbol_to_word_ratio: 0.0, rps_doc_unigram_entropy: 2.68594532, rps_doc_word_count: 16,
    },
  },
];

describe('Appendix B vectors', () => {
  for (const vec of VECTORS) {
    it(vec.name, () => {
      const v = new TextView(vec.raw);
      for (const key of KEYS) assert.equal(FNS[key](v), vec.expected[key], `${vec.name} ${key}`);
    });
  }
});

/** The three reference corpora, aligned by line with their reference signal files. */

describe('parity with the reference on 3,469 documents', () => {
  const docs: ParityDoc[] = [];

  before(async () => {
    docs.push(...(await loadParityDocs()));
    assert.equal(docs.length, 3469);
  });

  for (const key of KEYS) {
    it(key, (t) => {
      let equal = 0;
      let firstDiff: string | undefined;
      for (const doc of docs) {
        const ours = FNS[key](doc.view);
        const theirs = doc.signals[key];
        const ok = theirs.length === 1 && theirs[0][0] === 0 && theirs[0][1] === doc.view.length && theirs[0][2] === ours;
        if (ok) equal++;
        else firstDiff ??= `${doc.id} ${JSON.stringify(doc.view.raw.slice(0, 120))}: ours [0, ${doc.view.length}, ${ours}] vs theirs ${JSON.stringify(theirs)}`;
      }
      t.diagnostic(`${key} parity ${equal}/${docs.length}`);
      assert.equal(equal, docs.length, `first difference: ${firstDiff}`);
    });
  }
});
