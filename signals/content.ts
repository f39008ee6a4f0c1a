import { sourceDomain } from '../src/resources/ut1.js';
import { badWords, isWordListLanguage, stopWords } from '../src/resources/word-lists.js';
import type { LdnoobwFirstWord, LdnoobwList } from '../src/resources/word-lists.js';
import type { SignalContext, SignalFamily } from '../src/signal.js';
import type { TextView } from '../src/text/index.js';
import { codePointLength, round8Fast } from '../src/text/python.js';
import { TokenSet } from '../src/text/tokenize.js';
import { CodeUnitSet } from '../src/text/unit-set.js';

/*
 * The word lists as a `TokenSet` (stop words) and `CodeUnitSet`s (LDNOOBW): words are looked up as
 * spans of the text they sit in, with no string per word. Keyed by the cached list objects, so each
 * is built once per list.
 */
const stopSets = new WeakMap<ReadonlySet<string>, TokenSet>();
const ldnoobwSets = new WeakMap<LdnoobwList, LdnoobwSets>();

/** An LDNOOBW list as sets: its first words, what each starts (by member index), and its entries. */
interface LdnoobwSets {
  readonly firstWords: CodeUnitSet;
  readonly starts: readonly LdnoobwFirstWord[];
  readonly entries: CodeUnitSet;
}

function stopSet(words: ReadonlySet<string>): TokenSet {
  let set = stopSets.get(words);
  if (set === undefined) stopSets.set(words, (set = new TokenSet(words)));
  return set;
}

function ldnoobwSetsOf(list: LdnoobwList): LdnoobwSets {
  let found = ldnoobwSets.get(list);
  if (found === undefined) {
    const firstWords = new CodeUnitSet(list.firstWords.keys());
    const starts = firstWords.members.map((w) => list.firstWords.get(w) as LdnoobwFirstWord);
    found = { firstWords, starts, entries: new CodeUnitSet(list.entries) };
    ldnoobwSets.set(list, found);
  }
  return found;
}

/** rps_doc_curly_bracket: (number of `{` plus number of `}`) / code points of the raw text, rounded; 0.0 when empty. */
export function docCurlyBracket(view: TextView): number {
  const raw = view.raw;
  let count = 0;
  for (let i = raw.indexOf('{'); i !== -1; i = raw.indexOf('{', i + 1)) count++;
  for (let i = raw.indexOf('}'); i !== -1; i = raw.indexOf('}', i + 1)) count++;
  return count === 0 ? 0 : round8Fast(count / view.length);
}

/**
 * rps_doc_ldnoobw_words: occurrences of the language's LDNOOBW entries among the normalized words and
 * their n-grams (every listed n, overlaps counted, entries compared as stored), unrounded; 0.0 without a list.
 */
export function docLdnoobwWords(view: TextView, ctx: SignalContext): number {
  const list = badWords(ctx.lang);
  if (list.entries.size === 0) return 0;
  const { firstWords, starts: firstWordStarts, entries } = ldnoobwSetsOf(list);
  // One lookup per distinct word, as a span of the normalized text (the vocabulary is shared with the
  // repetition signals).
  const { ids, counts, firstStarts, unitLengths } = view.vocabulary;
  const text = view.normalized;
  let count = 0;
  let startsNgram: Int32Array | undefined;
  for (let id = 0; id < counts.length; id++) {
    const m = firstWords.indexOf(text, firstStarts[id], firstStarts[id] + unitLengths[id]);
    if (m < 0) continue;
    const first = firstWordStarts[m];
    if (first.unigram) count += counts[id];
    if (first.ngramSizes.length > 0) (startsNgram ??= new Int32Array(counts.length).fill(-1))[id] = m;
  }
  if (startsNgram === undefined) return count;
  // Only positions whose word starts a listed n-gram look at their n-grams. Words are separated by
  // exactly one space, so the n words from position i joined by ' ' are a span of the normalized text.
  const starts = view.normalizedWordStarts;
  for (let i = 0; i < ids.length; i++) {
    const m = startsNgram[ids[i]];
    if (m < 0) continue;
    for (const n of firstWordStarts[m].ngramSizes) {
      if (i + n > ids.length) break;
      if (entries.has(text, starts[i], starts[i + n] - 1)) count++;
    }
  }
  return count;
}

/**
 * rps_doc_lorem_ipsum: non-overlapping case-insensitive matches of "lorem ipsum" in the normalized
 * text / its code points, rounded; 0.0 when empty.
 */
export function docLoremIpsum(view: TextView): number {
  const text = view.normalized;
  let count = 0;
  for (let i = text.indexOf('lorem '); i !== -1; i = text.indexOf('lorem ', i + 6)) {
    if (isIpsumAt(text, i + 6)) count++;
  }
  return count === 0 ? 0 : round8Fast(count / codePointLength(text));
}

/**
 * Whether "ipsum" starts at `at` under Python `re.IGNORECASE` on already lower-cased text: besides the
 * ASCII letters, `i` also matches U+0131 `ı` and `s` also matches U+017F `ſ` (sre's case-fold fixes).
 * JS `/i` flags differ (with `u` they miss `ı`), hence the explicit test.
 */
function isIpsumAt(text: string, at: number): boolean {
  const i = text.charCodeAt(at);
  const s = text.charCodeAt(at + 2);
  return (
    (i === 0x69 || i === 0x131) &&
    text.charCodeAt(at + 1) === 0x70 &&
    (s === 0x73 || s === 0x17f) &&
    text.charCodeAt(at + 3) === 0x75 &&
    text.charCodeAt(at + 4) === 0x6d
  );
}

/**
 * rps_doc_stop_word_fraction: raw WordPunct tokens that are in the language's stop set (case-sensitive)
 * / all raw tokens (punctuation runs included), rounded; 0.0 when there are no normalized words; null
 * for a language without a list (the reference, which only runs en/de/fr/es/it, would raise).
 */
export function docStopWordFraction(view: TextView, ctx: SignalContext): number | null {
  if (!isWordListLanguage(ctx.lang)) return null;
  const stop = stopSet(stopWords(ctx.lang));
  // No normalized words exactly when the normalized text is empty (it is stripped and collapsed).
  if (view.normalizedWordCount === 0) return 0;
  // Each token is looked up as its span of the raw text, unless its bits rule it out (see `TokenSet`).
  const tokens = view.rawWordSpans;
  return round8Fast(stop.count(view.raw, tokens) / tokens.count);
}

/**
 * rps_doc_ut1_blacklist: the UT1 category-combination id of the document's CCNet `source_domain`
 * (exact string; from the url's netloc when absent), or null without a blacklist or a listed domain.
 */
export function docUt1Blacklist(_view: TextView, ctx: SignalContext): number | null {
  const ut1 = ctx.resources.ut1;
  if (ut1 === undefined) return null;
  const domain = sourceDomain(ctx.doc);
  return domain === undefined ? null : (ut1.get(domain) ?? null);
}

export const content: SignalFamily = {
  id: 'content',
  version: 1,
  signals: [
    { name: 'rps_doc_curly_bracket', level: 'doc', type: 'f64', description: 'Share of raw characters that are curly brackets.', compute: docCurlyBracket },
    { name: 'rps_doc_ldnoobw_words', level: 'doc', type: 'f64', description: 'Occurrences of LDNOOBW bad words and phrases among the normalized words.', compute: docLdnoobwWords },
    { name: 'rps_doc_lorem_ipsum', level: 'doc', type: 'f64', description: 'Occurrences of "lorem ipsum" per normalized character.', compute: docLoremIpsum },
    { name: 'rps_doc_stop_word_fraction', level: 'doc', type: 'f64', description: 'Share of raw words that are stop words of the language (case-sensitive).', compute: docStopWordFraction },
    { name: 'rps_doc_ut1_blacklist', level: 'doc', type: 'i64', description: 'UT1 blacklist category-combination id of the source domain, null if unlisted.', compute: docUt1Blacklist },
  ],
};
