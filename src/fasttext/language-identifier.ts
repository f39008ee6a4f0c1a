import { LABEL_PREFIX } from './dictionary.js';
import type { FastTextModel } from './fasttext-model.js';

/** A document's language as CCNet records it. */
export interface LanguageGuess {
  /** The top label without `__label__` (CCNet `language`). */
  readonly label: string;
  /** Its probability as fastText reports it (a float32). */
  readonly probability: number;
  /** The probability rounded to 2 decimals, half to even (CCNet `language_score`). */
  readonly score: number;
}

/** numpy's `round(x, 2)`: scale by 100, round half to even, scale back (exact here: x is a float32). */
export function roundScore(x: number): number {
  const y = x * 100;
  let r = Math.round(y);
  if (r - y === 0.5 && r % 2 !== 0) r -= 1;
  return r / 100;
}

/**
 * CCNet's language identification (cc_net `split_by_lang.py`): fastText's top label on the text
 * with every `\n` removed (not replaced by a space), k = 1. Empty texts get none, as in CCNet.
 */
export class LanguageIdentifier {
  private readonly memo = new WeakMap<object, { readonly text: string; readonly guess: LanguageGuess | null }>();

  constructor(readonly model: FastTextModel) {}

  identify(text: string): LanguageGuess | null {
    if (text.length === 0) return null;
    const [top] = this.model.predict(text.replaceAll('\n', ''), 1);
    if (top === undefined) return null;
    const label = top.label.startsWith(LABEL_PREFIX) ? top.label.slice(LABEL_PREFIX.length) : top.label;
    return { label, probability: top.probability, score: roundScore(top.probability) };
  }

  /**
   * `identify(text)`, remembered for `key` (a document) while its text stays the same, so the
   * document's language and the ccnet_language signals cost one prediction.
   */
  identifyFor(key: object, text: string): LanguageGuess | null {
    const known = this.memo.get(key);
    if (known !== undefined && known.text === text) return known.guess;
    const guess = this.identify(text);
    this.memo.set(key, { text, guess });
    return guess;
  }
}
