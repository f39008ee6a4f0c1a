/**
 * The word lists shipped in `data/` (stop words, LDNOOBW bad words; see `data/SOURCES.md`), loaded
 * synchronously on first use and cached per language for the life of the process.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SieveError, toSieveError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { pyStrip } from '../text/python.js';

/**
 * The languages whose lists we ship: the five of the RPv2 pipeline (`LANGUAGES=(en fr es it de)`).
 * The reference's stop-word dict also holds `bg` and `fi`, which no pipeline run uses, so we leave them out.
 */
export const WORD_LIST_LANGUAGES = ['en', 'de', 'fr', 'es', 'it'] as const;
export type WordListLanguage = (typeof WORD_LIST_LANGUAGES)[number];

/** An LDNOOBW list laid out for `rps_doc_ldnoobw_words`: membership tests without joining every n-gram. */
export interface LdnoobwList {
  /** Every entry exactly as stored (whitespace-stripped line), never normalized (spec §4.6). */
  readonly entries: ReadonlySet<string>;
  /** The distinct entry sizes n = 1 + number of spaces, ascending (the reference's n-gram orders). */
  readonly sizes: readonly number[];
  /**
   * What each word can start: keyed by an entry's first word (for n = 1, the entry). A word that is
   * not a key can neither match nor start a matching n-gram, so one lookup per distinct word rules it out.
   */
  readonly firstWords: ReadonlyMap<string, LdnoobwFirstWord>;
}

/** The entries that begin with one word. */
export interface LdnoobwFirstWord {
  /** Whether the word itself is an entry (n = 1). */
  readonly unigram: boolean;
  /** The distinct sizes n > 1 of the entries that start with the word, ascending. */
  readonly ngramSizes: readonly number[];
}

const EMPTY_LDNOOBW: LdnoobwList = Object.freeze({
  entries: new Set<string>(),
  sizes: [],
  firstWords: new Map<string, LdnoobwFirstWord>(),
});

const stopWordCache = new Map<string, ReadonlySet<string>>();
const badWordCache = new Map<string, LdnoobwList>();
let dataDir: URL | undefined;

export function isWordListLanguage(lang: string): lang is WordListLanguage {
  return (WORD_LIST_LANGUAGES as readonly string[]).includes(lang);
}

/**
 * The stop words of `lang` (6/stopwords-json), compared case-sensitively with raw WordPunct tokens.
 * Throws E_USAGE for any other language, as the reference raises KeyError.
 */
export function stopWords(lang: string): ReadonlySet<string> {
  let set = stopWordCache.get(lang);
  if (set === undefined) {
    if (!isWordListLanguage(lang)) {
      throw new SieveError('E_USAGE', `no stop-word list for language "${lang}" (supported: ${WORD_LIST_LANGUAGES.join(', ')})`, {
        hint: 'rps_doc_stop_word_fraction needs one of these languages; exclude the signal for other languages',
      });
    }
    const parsed: unknown = JSON.parse(readDataFile(`stopwords/${lang}.json`));
    if (!Array.isArray(parsed) || !parsed.every((w): w is string => typeof w === 'string')) {
      throw new SieveError('E_IO', `data/stopwords/${lang}.json is not a JSON array of strings`);
    }
    set = new Set(parsed);
    stopWordCache.set(lang, set);
  }
  return set;
}

/**
 * The LDNOOBW list of `lang`: the file's lines, whitespace-stripped and de-duplicated. A language
 * without a list gets the empty list, so its `rps_doc_ldnoobw_words` is 0.0 as in the reference.
 */
export function badWords(lang: string): LdnoobwList {
  let list = badWordCache.get(lang);
  if (list === undefined) {
    list = isWordListLanguage(lang) ? buildLdnoobwList(readDataFile(`ldnoobw/${lang}.txt`).split('\n')) : EMPTY_LDNOOBW;
    badWordCache.set(lang, list);
  }
  return list;
}

/** Lays out raw list lines (stripped, de-duplicated; empty lines dropped, as no word can equal ""). */
export function buildLdnoobwList(lines: Iterable<string>): LdnoobwList {
  const entries = new Set<string>();
  const sizes = new Set<number>();
  const starts = new Map<string, { unigram: boolean; ngramSizes: Set<number> }>();
  for (const line of lines) {
    const entry = pyStrip(line);
    if (entry.length === 0 || entries.has(entry)) continue;
    entries.add(entry);
    const words = entry.split(' ');
    sizes.add(words.length);
    let start = starts.get(words[0]);
    if (start === undefined) starts.set(words[0], (start = { unigram: false, ngramSizes: new Set() }));
    if (words.length === 1) start.unigram = true;
    else start.ngramSizes.add(words.length);
  }
  const ascending = (a: number, b: number): number => a - b;
  const firstWords = new Map<string, LdnoobwFirstWord>();
  for (const [word, s] of starts) firstWords.set(word, { unigram: s.unigram, ngramSizes: [...s.ngramSizes].sort(ascending) });
  return { entries, sizes: [...sizes].sort(ascending), firstWords };
}

/** Reads a file under `data/` as UTF-8. */
function readDataFile(relative: string): string {
  const url = new URL(relative, findDataDir());
  try {
    return readFileSync(url, 'utf8');
  } catch (err) {
    throw toSieveError(err, 'E_IO', `cannot read the shipped word list data/${relative}`);
  }
}

/** `data/` in the package root. */
function findDataDir(): URL {
  if (dataDir === undefined) {
    const dir = pathToFileURL(join(PACKAGE_ROOT, 'data') + '/');
    if (!existsSync(new URL('stopwords/en.json', dir))) {
      throw new SieveError('E_IO', `the shipped data/ directory was not found in ${PACKAGE_ROOT}`, {
        hint: 'the package is incomplete: reinstall it, or make sure "data" is in package.json "files"',
      });
    }
    dataDir = dir;
  }
  return dataDir;
}
