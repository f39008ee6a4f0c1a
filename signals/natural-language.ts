import type { SignalFamily } from '../src/signal.js';
import type { TextView } from '../src/text/index.js';

/** rps_doc_word_count: the number of normalized words. */
export function docWordCount(view: TextView): number {
  return view.normalizedWords.length;
}

export const naturalLanguage: SignalFamily = {
  id: 'natural-language',
  version: 1,
  signals: [
    { name: 'rps_doc_word_count', level: 'doc', type: 'i64', description: 'Number of normalized words.', compute: docWordCount },
  ],
};
