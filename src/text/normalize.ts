/**
 * The reference "normalized" view of a text (spec §2.2).
 *
 * Python does, in order: delete the 32 ASCII punctuation characters of `string.punctuation`,
 * `str.lower()`, `str.strip()`, collapse each run of whitespace to one ASCII space, then NFD.
 *
 * Here the deletion, strip and collapse happen in one pass over UTF-16 units, then lower-casing and
 * NFD run once on the result. Lower-casing after strip/collapse instead of before gives the same
 * result: lower-casing never creates or removes whitespace, and its one context-dependent rule
 * (final sigma) only looks through case-ignorable characters, which no whitespace character is.
 */

import { PY_WHITESPACE_CODE_POINTS } from './python.js';

const KEEP = 0;
/** `UNIT_CLASS` of the ASCII punctuation that normalization deletes. */
export const PUNCT = 1;
/** `UNIT_CLASS` of Python whitespace. */
export const SPACE = 2;
const KEEP_NON_ASCII = 3;

/**
 * Class of every UTF-16 unit: kept, ASCII punctuation (deleted), Python whitespace (stripped and
 * collapsed), or kept non-ASCII (which means NFD has work to do). Surrogates are kept non-ASCII.
 * A 64 KiB table keeps the per-character loop branch-light.
 */
export const UNIT_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(0x10000).fill(KEEP_NON_ASCII);
  table.fill(KEEP, 0, 0x80);
  const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
  for (let i = 0; i < punctuation.length; i++) table[punctuation.charCodeAt(i)] = PUNCT;
  for (const c of PY_WHITESPACE_CODE_POINTS) table[c] = SPACE;
  return table;
})();

/** `normalize(text)` exactly as the reference pipeline computes it (spec §2.2). */
export function normalize(text: string): string {
  const n = text.length;
  let out = '';
  // The input is copied in verbatim segments: `text[segStart, keptEnd)` is not yet in `out`, and is
  // only flushed when the output has to deviate from the input (a deleted character, or whitespace
  // that is not a single ASCII space between two kept characters). Typical prose has few of those.
  let segStart = -1;
  let keptEnd = -1; // index after the last kept unit; -1 until something is kept (leading strip)
  let pendingSpace = false; // whitespace seen since the last kept unit
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let cls = UNIT_CLASS[c];
    if (cls === KEEP_NON_ASCII) {
      ascii = false;
      cls = KEEP;
    }
    if (cls === SPACE) {
      if (keptEnd >= 0) pendingSpace = true;
    } else if (cls === KEEP) {
      if (keptEnd < 0) {
        segStart = i;
      } else if (pendingSpace) {
        // The gap must become exactly one ' '; it already is iff it is a lone ASCII space.
        if (i !== keptEnd + 1 || text.charCodeAt(keptEnd) !== 0x20) {
          out += text.slice(segStart, keptEnd) + ' ';
          segStart = i;
        }
      } else if (i !== keptEnd) {
        // Only deleted punctuation since the last kept unit: drop it.
        out += text.slice(segStart, keptEnd);
        segStart = i;
      }
      pendingSpace = false;
      keptEnd = i + 1;
    }
    // PUNCT: ASCII punctuation, deleted.
  }
  if (keptEnd >= 0) out += segStart === 0 && keptEnd === n ? text : text.slice(segStart, keptEnd);
  // Trailing whitespace is stripped: a still-pending space is simply dropped.
  out = out.toLowerCase();
  // Pure ASCII stays pure ASCII under lower-casing, and NFD leaves ASCII unchanged.
  return ascii ? out : out.normalize('NFD');
}

/**
 * `normalize(line.text)` for every raw line of `text` (lines as in spec §2.4: split after each `\n`,
 * no extra line after a trailing `\n`, none for an empty text), in one pass over the whole text.
 *
 * Each line is stripped and collapsed on its own, the results are joined with `\n`, and the
 * lower-casing and NFD run once over the joined string before it is split again. That equals
 * normalizing each line separately, because `\n` blocks both cross-line effects: it is neither cased
 * nor case-ignorable (so the final-sigma rule cannot see past it), and it is an NFD starter (so
 * combining marks are never reordered across it). Neither step creates or removes a `\n`.
 */
export function normalizeLines(text: string): string[] {
  const n = text.length;
  if (n === 0) return [];
  let out = '';
  let segStart = 0;
  // Like `normalize`, but `keptEnd` is reset at each `\n`, which restarts the leading strip.
  let keptEnd = -1;
  let pendingSpace = false;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let cls = UNIT_CLASS[c];
    if (cls === KEEP_NON_ASCII) {
      ascii = false;
      cls = KEEP;
    }
    if (cls === SPACE) {
      if (c === 0x0a) {
        // End of a line: flush what was kept (dropping trailing whitespace) and emit the separator.
        if (keptEnd >= 0) out += text.slice(segStart, keptEnd);
        out += '\n';
        keptEnd = -1;
        pendingSpace = false;
      } else if (keptEnd >= 0) {
        pendingSpace = true;
      }
    } else if (cls === KEEP) {
      if (keptEnd < 0) {
        segStart = i;
      } else if (pendingSpace) {
        if (i !== keptEnd + 1 || text.charCodeAt(keptEnd) !== 0x20) {
          out += text.slice(segStart, keptEnd) + ' ';
          segStart = i;
        }
      } else if (i !== keptEnd) {
        out += text.slice(segStart, keptEnd);
        segStart = i;
      }
      pendingSpace = false;
      keptEnd = i + 1;
    }
  }
  if (keptEnd >= 0) out += text.slice(segStart, keptEnd);
  out = out.toLowerCase();
  if (!ascii) out = out.normalize('NFD');
  const lines = out.split('\n');
  // A trailing `\n` ends the last line; it does not start an empty one.
  if (text.charCodeAt(n - 1) === 0x0a) lines.pop();
  return lines;
}
