/**
 * Python-compatible text primitives (spec §2.6–§2.7).
 *
 * The reference pipeline runs on CPython 3.11, whose notion of whitespace, digits, upper case and
 * rounding differs from the JS built-ins in small but score-changing ways. Every helper here
 * reproduces the Python behaviour, with the JS pitfall it avoids noted next to it.
 */

/**
 * The 29 code points Python treats as whitespace (`str.isspace`, `str.split()`, `re` `\s`), as the
 * body of a regex character class (escaped, so it can be pasted inside `[...]` of a `u` regex).
 * Why: JS `\s` lacks U+1C–U+1F and U+85 and wrongly includes U+FEFF.
 */
export const PY_WHITESPACE_CLASS =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/**
 * The code points of `isPyWhitespace`, all in the BMP: the per-unit tables are filled from them, not
 * by testing 65,536 units each time the module loads (the tests check the two agree).
 */
export const PY_WHITESPACE_CODE_POINTS: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
  0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

/** Whether a code point is Python whitespace; a branchy test, because it runs once per character. */
export function isPyWhitespace(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20);
  if (cp < 0x1680) return cp === 0x85 || cp === 0xa0;
  if (cp === 0x1680) return true;
  if (cp < 0x2000) return false;
  if (cp <= 0x200a) return true;
  return cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

/** Python `str.split()` with no argument: split on runs of Python whitespace, never empty tokens. */
export function pySplit(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let start = -1;
  // All Python whitespace is in the BMP, so scanning UTF-16 units never splits a surrogate pair.
  for (let i = 0; i < n; i++) {
    if (isPyWhitespace(s.charCodeAt(i))) {
      if (start >= 0) {
        out.push(s.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(start === 0 ? s : s.slice(start));
  return out;
}

/** Number of tokens `pySplit(s)` would return, without building them (used for per-line word counts). */
export function pySplitCount(s: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0, n = s.length; i < n; i++) {
    if (isPyWhitespace(s.charCodeAt(i))) {
      inWord = false;
    } else if (!inWord) {
      inWord = true;
      count++;
    }
  }
  return count;
}

/** Python `str.lstrip()`: JS `trimStart` uses a different whitespace set (adds U+FEFF, lacks U+1C–1F, U+85). */
export function pyLstrip(s: string): string {
  let i = 0;
  const n = s.length;
  while (i < n && isPyWhitespace(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

/** Python `str.rstrip()`: same whitespace set as `pyLstrip`, from the right. */
export function pyRstrip(s: string): string {
  let j = s.length;
  while (j > 0 && isPyWhitespace(s.charCodeAt(j - 1))) j--;
  return j === s.length ? s : s.slice(0, j);
}

/** Python `str.strip()`: both ends, Python whitespace. */
export function pyStrip(s: string): string {
  return pyRstrip(pyLstrip(s));
}

/**
 * Python `len(str)`: code points, not UTF-16 units. A surrogate pair counts once; a lone surrogate
 * counts once too (as it does in `[...s]`). One pass over char codes, no array allocation.
 */
export function codePointLength(s: string): number {
  const n = s.length;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return n - pairs;
}

/**
 * Python `round(x, 8)`: correctly rounded on the exact binary value, ties to even (spec §2.6).
 * `toFixed(8)` is also exact but breaks ties away from zero; an exact tie happens iff `x * 512` is an
 * odd integer (scaling by 2^9 is exact), and then the half-even answer is the neighbour whose last
 * digit is even. NaN, ±Infinity and ±0 pass through unchanged, like Python.
 */
export function round8(x: number): number {
  // NaN, ±Infinity and ±0 come back as they are (toFixed would turn -0 into +0).
  if (!Number.isFinite(x) || x === 0) return x;
  // Beyond 1e21 toFixed switches to exponent notation; such values have no fractional digits anyway.
  if (Math.abs(x) >= 1e21) return x;
  const fixed = x.toFixed(8);
  const scaled = Math.abs(x * 512);
  if (Number.isInteger(scaled) && scaled % 2 === 1) {
    // toFixed rounded the magnitude up; if that made the last digit odd, the even neighbour is one
    // unit below, and lowering an odd digit by one never borrows.
    const last = fixed.charCodeAt(fixed.length - 1) - 48;
    if (last % 2 === 1) {
      return Number(fixed.slice(0, -1) + String.fromCharCode(48 + last - 1));
    }
  }
  return Number(fixed);
}

/**
 * `round8(x)`, without its string round trip where that cannot change the result. For `x >= 0` with
 * `y = x * 1e8` (off from the exact product by at most half an ulp of `y`), the nearest integer R to
 * the exact product is the nearest integer to `y` unless `y` lies within a few ulps of a half-integer,
 * and then `R / 1e8` (both exact, the quotient correctly rounded) is the double nearest R·10⁻⁸: what
 * Python's `round(x, 8)` parses back. Near a half-integer (ties included), for negative values (whose
 * zero sign and ties need care), beyond 2^52 and for NaN it defers to `round8`.
 * Why: `round8` costs a `toFixed` and a parse, and line signals call it once per line.
 */
export function round8Fast(x: number): number {
  const y = x * 1e8;
  const r = Math.floor(y);
  const f = y - r;
  if (x >= 0 && y < 2 ** 52 && Math.abs(f - 0.5) > y * 2 ** -50) return (f < 0.5 ? r : r + 1) / 1e8;
  return round8(x);
}

/**
 * Python whitespace of each UTF-16 unit (1 or 0), for loops where a table load beats the branchy
 * `isPyWhitespace`. All Python whitespace is in the BMP and no surrogate is whitespace.
 */
export const PY_SPACE_UNIT: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  for (const c of PY_WHITESPACE_CODE_POINTS) table[c] = 1;
  return table;
})();

/** CJK ideographs with a Unicode Numeric_Type: Python `isnumeric` counts them, `\p{N}` does not (§2.7). */
const CJK_NUMERIC: ReadonlySet<number> = new Set([
  0x3405, 0x3483, 0x382a, 0x3b4d, 0x4e00, 0x4e03, 0x4e07, 0x4e09, 0x4e5d, 0x4e8c, 0x4e94, 0x4e96,
  0x4ebf, 0x4ec0, 0x4edf, 0x4ee8, 0x4f0d, 0x4f70, 0x5104, 0x5146, 0x5169, 0x516b, 0x516d, 0x5341,
  0x5343, 0x5344, 0x5345, 0x534c, 0x53c1, 0x53c2, 0x53c3, 0x53c4, 0x56db, 0x58f1, 0x58f9, 0x5e7a,
  0x5efe, 0x5eff, 0x5f0c, 0x5f0d, 0x5f0e, 0x5f10, 0x62fe, 0x634c, 0x67d2, 0x6f06, 0x7396, 0x767e,
  0x8086, 0x842c, 0x8cae, 0x8cb3, 0x8d30, 0x9621, 0x9646, 0x964c, 0x9678, 0x96f6, 0xf96b, 0xf973,
  0xf978, 0xf9b2, 0xf9d1, 0xf9d3, 0xf9fd, 0x20001, 0x20064, 0x200e2, 0x20121, 0x2092a, 0x20983,
  0x2098c, 0x2099c, 0x20aea, 0x20afd, 0x20b19, 0x22390, 0x22998, 0x23b1b, 0x2626d, 0x2f890,
]);

const NUMBER_RE = /^\p{N}$/u;
const UPPERCASE_RE = /^\p{Uppercase}$/u;

/** Python per-character `str.isnumeric`: `\p{N}` plus the 81 CJK numerals; ASCII fast path first. */
export function isPyNumericChar(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  if (CJK_NUMERIC.has(cp)) return true;
  return NUMBER_RE.test(String.fromCodePoint(cp));
}

/** Python per-character `str.isupper`: the Unicode `Uppercase` property; ASCII fast path first. */
export function isPyUpperChar(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a;
  return UPPERCASE_RE.test(String.fromCodePoint(cp));
}

/*
 * Lower/title-case test with Python 3.11's Unicode 14 data: U+0295 was Lowercase there (no longer in
 * the engine's newer Unicode), and U+10FC, U+A7F2-U+A7F4 and U+AB69 only became Lowercase later.
 */
const LOWER_OR_TITLE_RE = /(?![\u10fc\ua7f2-\ua7f4\uab69])[\p{Lowercase}\p{Lt}]|\u0295/u;
const ANY_UPPER_RE = /\p{Uppercase}/u;
/** `LOWER_OR_TITLE_RE` for one character, its exceptions tested apart: the lookahead made each test several times slower. */
const LOWER_OR_TITLE_CHAR_RE = /^[\p{Lowercase}\p{Lt}]$/u;
const LOWER_SINCE_PY311: ReadonlySet<number> = new Set([0x10fc, 0xa7f2, 0xa7f3, 0xa7f4, 0xab69]);

/** Whether a code point is lower- or title-case for Python 3.11 (the case that makes `isupper` false). */
export function isPyLowerOrTitleChar(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a;
  return cp === 0x295 || (!LOWER_SINCE_PY311.has(cp) && LOWER_OR_TITLE_CHAR_RE.test(String.fromCodePoint(cp)));
}

/**
 * Python `str.isupper` on a whole string: no lower-case or title-case character, and at least one
 * upper-case one. So "ABC123" is true while "123" and "!!!" are false (no cased character at all).
 */
export function isPyUpperWord(w: string): boolean {
  return !LOWER_OR_TITLE_RE.test(w) && ANY_UPPER_RE.test(w);
}

/** Whether a UTF-16 unit is one of Python's `splitlines` boundaries (besides the `\r\n` pair). */
function isLineBoundary(c: number): boolean {
  if (c < 0x80) return (c >= 0x0a && c <= 0x0d) || (c >= 0x1c && c <= 0x1e);
  return c === 0x85 || c === 0x2028 || c === 0x2029;
}

/**
 * Python `str.splitlines()` (no keepends): breaks at `\r\n` or any single one of
 * `\n \r \v \f \x1c \x1d \x1e \x85 \u2028 \u2029`; no trailing empty piece; `""` gives `[]`.
 * Why: JS has no equivalent, and `split(/\r?\n/)` misses most of these boundaries.
 */
export function pySplitlines(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isLineBoundary(c)) continue;
    out.push(s.slice(start, i));
    if (c === 0x0d && i + 1 < n && s.charCodeAt(i + 1) === 0x0a) i++;
    start = i + 1;
  }
  if (start < n) out.push(s.slice(start));
  return out;
}
