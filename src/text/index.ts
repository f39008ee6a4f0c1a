/** Shared text primitives: Python-compatible helpers, the normalized view, and the per-document TextView. */

export {
  PY_WHITESPACE_CLASS,
  PY_WHITESPACE_CODE_POINTS,
  PY_SPACE_UNIT,
  isPyWhitespace,
  pySplit,
  pySplitCount,
  pyStrip,
  pyLstrip,
  pyRstrip,
  codePointLength,
  round8,
  round8Fast,
  isPyNumericChar,
  isPyUpperChar,
  isPyLowerOrTitleChar,
  isPyUpperWord,
  pySplitlines,
} from './python.js';
export { normalize, normalizeLines } from './normalize.js';
export { normalizeWithLines, scanText } from './scan.js';
export type { NormalizedText, TextScan } from './scan.js';
export {
  WORD_PUNCT_SOURCE,
  TOKEN_CLASS,
  TOKEN_HAS_ASCII_LETTER,
  TOKEN_HAS_LOWER_OR_TITLE,
  TOKEN_HAS_UPPER,
  TOKEN_OTHER,
  TOKEN_WORD,
  isPyWordChar,
  TokenSet,
  wordPunctSpans,
  wordPunctTokenize,
} from './tokenize.js';
export type { RawScan, TokenSpans } from './tokenize.js';
export { CodeUnitSet, sampleHash } from './unit-set.js';
export { TextView, scanVocabulary } from './text-view.js';
export type { LineSlice, WordVocabulary } from './text-view.js';
