/** Shared text primitives: Python-compatible helpers, the normalized view, and the per-document TextView. */

export {
  PY_WHITESPACE_CLASS,
  isPyWhitespace,
  pySplit,
  pySplitCount,
  pyStrip,
  pyLstrip,
  pyRstrip,
  codePointLength,
  round8,
  isPyNumericChar,
  isPyUpperChar,
  isPyUpperWord,
  pySplitlines,
} from './python.js';
export { normalize, normalizeLines } from './normalize.js';
export { WORD_PUNCT_SOURCE, isPyWordChar, wordPunctTokenize } from './tokenize.js';
export { TextView } from './text-view.js';
export type { LineSlice, WordVocabulary } from './text-view.js';
