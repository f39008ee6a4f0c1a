import type { SignalFamily } from '../src/signal.js';
import type { TextView } from '../src/text/index.js';

/** rps_lines_num_words: the number of whitespace-separated words of each normalized line. */
export function linesNumWords(view: TextView): Uint32Array {
  return view.normalizedLineWordCounts;
}

export const lines: SignalFamily = {
  id: 'lines',
  version: 1,
  signals: [
    { name: 'rps_lines_num_words', level: 'line', type: 'i64', description: 'Words in each normalized line.', compute: linesNumWords },
  ],
};
