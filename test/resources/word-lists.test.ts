import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SieveError } from '../../src/errors.js';
import { WORD_LIST_LANGUAGES, badWords, buildLdnoobwList, stopWords } from '../../src/resources/word-lists.js';
import { ROOT, shared } from '../helpers.js';

/** Python's default string order: by code point (JS `sort()` compares UTF-16 units, which differs above U+FFFF). */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) as number) - (y[i].codePointAt(0) as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The spec's list checksum (§4.5/§4.6): SHA-256 of the entries sorted by code point, joined with `\n`. */
function checksum(entries: Iterable<string>): string {
  return createHash('sha256').update([...entries].sort(byCodePoint).join('\n'), 'utf8').digest('hex');
}

// Spec §4.5.
const STOP_WORD_SUMS: Record<string, [number, string]> = {
  en: [570, '8b22cdb3811112c48c3fe2d9ad59d4852eeb6fc993d4584607318e1b41b27888'],
  de: [596, 'becbb8dd0255f2621d3e5ea46053467f1fe6575c99c7c9f12b3e5b2b03b501e1'],
  fr: [606, '6ecf4c7cf6fa57b3b352175a6cc56a59728619a49bc8a881de3f3d45d9d21b0d'],
  es: [577, 'fb457069dbc93db05dcdd853b70970c189814788e58643e30ff7bdd174f81448'],
  it: [619, 'c45c671bafef71d2bd5f3e19cc03644f208f5abb05856e594e82bdbd40add5e5'],
};

// Spec §4.6: entries, n-gram sizes present, sha256.
const LDNOOBW_SUMS: Record<string, [number, number[], string]> = {
  en: [403, [1, 2, 3, 4, 6], '8e830b87742bdb589ac5b12febedab30c6ebd314ff89c0ca7e5ccc8c241774ea'],
  de: [66, [1], '221ef0613bc271b14c9ee410f5c3876cee7772383207118ab56337f79c3937d0'],
  fr: [91, [1, 2, 3, 5], '09b19dd1a0983bf1358dfdc712c3cf38581ddc5480858d4e2757c1ad4766ee0d'],
  es: [68, [1, 2, 3, 4], 'f44f610844b2e67ca46eb27c5202e2150b7ce5b23afb9d3572715b9c912bdeb1'],
  it: [168, [1, 2, 3, 4], 'cf73e00a12c35d23c1b6a5d951e5c8a2b833570f84a0a4b7d85e5b1b055c0617'],
};

describe('stop words (spec §4.5)', () => {
  it('ships exactly the five pipeline languages', () => {
    assert.deepEqual([...WORD_LIST_LANGUAGES].sort(), ['de', 'en', 'es', 'fr', 'it']);
  });

  for (const [lang, [count, sha]] of Object.entries(STOP_WORD_SUMS)) {
    it(`${lang}: ${count} entries, sha256 ${sha.slice(0, 12)}…`, () => {
      const set = stopWords(lang);
      assert.equal(set.size, count);
      assert.equal(checksum(set), sha);
      // The file itself has no duplicates, so the set is the file.
      const raw = JSON.parse(readFileSync(join(ROOT, 'data', 'stopwords', `${lang}.json`), 'utf8')) as string[];
      assert.equal(raw.length, count);
    });
  }

  it('keeps entries as published: case and punctuation intact', () => {
    const de = stopWords('de');
    for (const w of ['Ernst', 'Schluss', 'Ordnung', 'd.h', 'z.b']) assert.ok(de.has(w), w);
    assert.ok(!de.has('ernst'));
    assert.ok(stopWords('it').has('IE'));
    assert.ok(stopWords('en').has("don't"));
    assert.ok(stopWords('fr').has('celle-ci'));
  });

  it('caches per language (same object on every call)', () => {
    assert.equal(stopWords('fr'), stopWords('fr'));
  });

  it('an unknown language is a usage error naming the supported ones', () => {
    // bg and fi are in the reference's dict but not shipped: only the five pipeline languages are.
    for (const lang of ['pt', 'bg', 'fi', '', '../stopwords/en']) {
      assert.throws(
        () => stopWords(lang),
        (err: unknown) => err instanceof SieveError && err.code === 'E_USAGE' && /en, de, fr, es, it/.test(err.message),
        lang,
      );
    }
  });
});

describe('LDNOOBW (spec §4.6)', () => {
  for (const [lang, [count, sizes, sha]] of Object.entries(LDNOOBW_SUMS)) {
    it(`${lang}: ${count} entries, n-gram sizes ${sizes.join(',')}, sha256 ${sha.slice(0, 12)}…`, () => {
      const list = badWords(lang);
      assert.equal(list.entries.size, count);
      assert.deepEqual(list.sizes, sizes);
      assert.equal(checksum(list.entries), sha);
      // Same checksum straight from the file, as the spec defines it (lines stripped, de-duplicated).
      const lines = readFileSync(join(ROOT, 'data', 'ldnoobw', `${lang}.txt`), 'utf8').split('\n');
      const fromFile = new Set(lines.map((l) => l.trim()).filter((l) => l.length > 0));
      assert.equal(checksum(fromFile), sha);
    });
  }

  it('en equals the C4/dolma copy in shared/corpus/lists as a set', () => {
    const c4 = readFileSync(shared('corpus', 'lists', 'ldnoobw_en_c4_badwords.txt'), 'utf8').split('\n');
    const c4Set = new Set(c4.map((l) => l.trim()).filter((l) => l.length > 0));
    assert.deepEqual([...badWords('en').entries].sort(), [...c4Set].sort());
  });

  it('the layout keys every entry by its first word', () => {
    const en = badWords('en');
    assert.deepEqual(en.firstWords.get('cock'), { unigram: true, ngramSizes: [] });
    assert.deepEqual(en.firstWords.get('girl'), { unigram: false, ngramSizes: [2, 3] }); // "girl on", "girl on top"
    assert.deepEqual(en.firstWords.get('rosy'), { unigram: false, ngramSizes: [2, 6] }); // "rosy palm", "rosy palm and her 5 sisters"
    assert.equal(en.firstWords.get('black cock'), undefined);
    // Every entry is reachable from its first word, and nothing else is there.
    let unigrams = 0;
    for (const e of en.entries) {
      const words = e.split(' ');
      const first = en.firstWords.get(words[0]);
      assert.ok(first !== undefined, e);
      if (words.length === 1) {
        assert.ok(first.unigram, e);
        unigrams++;
      } else {
        assert.ok(first.ngramSizes.includes(words.length), e);
      }
    }
    assert.equal([...en.firstWords.values()].filter((f) => f.unigram).length, unigrams);
  });

  it('entries are kept as stored: upper case, punctuation and NFC accents untouched', () => {
    assert.ok(badWords('de').entries.has('MILF'));
    assert.ok(badWords('de').entries.has('d\u00f6del')); // NFC ö
    assert.ok(badWords('en').entries.has('s&m'));
    assert.ok(badWords('es').entries.has('Culo'));
  });

  it('a language without a list gets the empty list', () => {
    for (const lang of ['pt', 'bg', 'fi', 'xx']) {
      const list = badWords(lang);
      assert.equal(list.entries.size, 0);
      assert.deepEqual(list.sizes, []);
      assert.equal(list.firstWords.size, 0);
    }
  });

  it('buildLdnoobwList strips (Python whitespace), de-duplicates and drops empty lines', () => {
    const list = buildLdnoobwList([' foo ', 'foo', 'bar baz\r', '', '\u0085qux\u00a0', 'a b c', 'a b', 'a']);
    assert.deepEqual([...list.entries], ['foo', 'bar baz', 'qux', 'a b c', 'a b', 'a']);
    assert.deepEqual(list.sizes, [1, 2, 3]);
    assert.deepEqual(Object.fromEntries(list.firstWords), {
      foo: { unigram: true, ngramSizes: [] },
      bar: { unigram: false, ngramSizes: [2] },
      qux: { unigram: true, ngramSizes: [] },
      a: { unigram: true, ngramSizes: [2, 3] },
    });
  });
});
