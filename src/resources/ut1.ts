/**
 * The UT1 blacklist (Université Toulouse 1 Capitole) as RPv2 uses it for `rps_doc_ut1_blacklist`
 * (spec §4.7): domain → id of the combination of configured categories the domain is listed in, and
 * the document's domain key for the lookup.
 */

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Document } from '../document.js';
import { SieveError, toSieveError } from '../errors.js';
import { pyStrip } from '../text/python.js';

/** The categories RPv2 configures, sorted (the config's misspelling "agressive" included). */
export const UT1_CATEGORIES = [
  'adult',
  'agressif',
  'agressive',
  'arjel',
  'chat',
  'dating',
  'ddos',
  'filehosting',
  'gambling',
  'mixed_adult',
  'phishing',
  'porn',
  'violence',
] as const;
export type Ut1Category = (typeof UT1_CATEGORIES)[number];

const CATEGORY_INDEX: ReadonlyMap<string, number> = new Map(UT1_CATEGORIES.map((c, i) => [c, i]));

/** Combination bitmask (bit i = `UT1_CATEGORIES[i]`) → id; built on first use. */
let idByMask: Int16Array | undefined;

/**
 * Numbers every non-empty combination of the 13 categories as RPv2 does: all 1-combinations, then all
 * 2-combinations, …, each size in Python `itertools.combinations` order (lexicographic by index).
 */
function combinationIds(): Int16Array {
  if (idByMask !== undefined) return idByMask;
  const n = UT1_CATEGORIES.length;
  const ids = new Int16Array(1 << n).fill(-1);
  let next = 0;
  const visit = (k: number, from: number, mask: number): void => {
    if (k === 0) {
      ids[mask] = next++;
      return;
    }
    for (let i = from; i <= n - k; i++) visit(k - 1, i + 1, mask | (1 << i));
  };
  for (let k = 1; k <= n; k++) visit(k, 0, 0);
  idByMask = ids;
  return ids;
}

/**
 * The id of a set of UT1 categories (order and repeats ignored, as the reference sorts and
 * de-duplicates them): (adult) = 0, (adult, porn) = 23, all 13 = 8190. Throws E_USAGE for an empty
 * set or a category outside the configured 13.
 */
export function ut1CategoryId(categories: readonly string[]): number {
  let mask = 0;
  for (const c of categories) {
    const i = CATEGORY_INDEX.get(c);
    if (i === undefined) {
      throw new SieveError('E_USAGE', `"${c}" is not one of the UT1 categories RPv2 uses (${UT1_CATEGORIES.join(', ')})`);
    }
    mask |= 1 << i;
  }
  if (mask === 0) throw new SieveError('E_USAGE', 'a UT1 category combination needs at least one category');
  return combinationIds()[mask];
}

/**
 * Reads an unpacked UT1 blacklist directory (`<dir>/<category>/domains`, or the tarball's
 * `<dir>/blacklists/<category>/domains`), one domain per line, keeping only the 13 configured
 * categories, and maps each domain to the id of all the categories it is listed in. Domains are kept
 * exactly as written (whitespace-stripped), since the signal looks them up by exact string.
 */
export async function loadUt1Blacklist(dir: string): Promise<Map<string, number>> {
  if (!(await isDirectory(dir))) {
    throw new SieveError('E_INPUT_MISSING', `UT1 blacklist directory not found: ${dir}`, {
      location: { file: dir },
      hint: 'unpack blacklists.tar.gz from http://dsi.ut-capitole.fr/blacklists/ and pass its directory',
    });
  }
  const nested = join(dir, 'blacklists');
  const base = (await isDirectory(nested)) ? nested : dir;
  const masks = new Map<string, number>();
  let found = 0;
  for (let i = 0; i < UT1_CATEGORIES.length; i++) {
    const text = await readDomains(join(base, UT1_CATEGORIES[i], 'domains'));
    if (text === undefined) continue;
    found++;
    for (const line of text.split('\n')) {
      const domain = pyStrip(line);
      if (domain.length > 0) masks.set(domain, (masks.get(domain) ?? 0) | (1 << i));
    }
  }
  if (found === 0) {
    throw new SieveError('E_INPUT_EMPTY', `no UT1 category of RPv2's list has a domains file under ${base}`, {
      location: { file: base },
      hint: `expected <dir>/<category>/domains for some of: ${UT1_CATEGORIES.join(', ')}`,
    });
  }
  const ids = combinationIds();
  const out = new Map<string, number>();
  for (const [domain, mask] of masks) out.set(domain, ids[mask]);
  return out;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** A category's `domains` file, or undefined when the category is absent (UT1 drops some over time). */
async function readDomains(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw toSieveError(err, 'E_IO', `cannot read UT1 domains file ${path}`);
  }
}

/**
 * The key `rps_doc_ut1_blacklist` looks up: CCNet's `source_domain` when the document carries it as a
 * string (in `meta`), else the netloc of its url, which is how CCNet derives it; undefined without either.
 */
export function sourceDomain(doc: Document): string | undefined {
  const field = doc.meta.source_domain;
  if (typeof field === 'string') return field;
  const url: unknown = doc.url;
  return typeof url === 'string' ? urlNetloc(url) : undefined;
}

// C0 controls and space, which Python 3.11's urlsplit strips from the front; \t \r \n go anywhere.
const URL_LEADING_JUNK = /^[\x00-\x20]+/;
const URL_UNSAFE = /[\t\r\n]/g;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*:/;

/**
 * Python `urllib.parse.urlparse(url).netloc`, which CCNet stores as `source_domain`: after an optional
 * scheme, the text between `//` and the next `/`, `?` or `#`, kept as is (case, port and userinfo included).
 */
export function urlNetloc(url: string): string {
  let rest = url.replace(URL_LEADING_JUNK, '').replace(URL_UNSAFE, '');
  const scheme = URL_SCHEME.exec(rest);
  if (scheme !== null) rest = rest.slice(scheme[0].length);
  if (!rest.startsWith('//')) return '';
  let end = rest.length;
  for (const delim of ['/', '?', '#']) {
    const at = rest.indexOf(delim, 2);
    if (at !== -1 && at < end) end = at;
  }
  return rest.slice(2, end);
}
