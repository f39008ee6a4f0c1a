/** A reference document: its text and the reference code's `quality_signals` spans. */
export interface ReferenceDoc {
  readonly id: string;
  readonly text: string;
  readonly url?: string;
  readonly signals: Readonly<Record<string, readonly (readonly [number, number, number | null])[]>>;
}

/** The rules of rpv2-gopher.yaml, in its order. */
export const CARD_RULES = ['word_count', 'mean_word_length', 'symbol_to_word_ratio', 'bullet_lines', 'top_2gram'] as const;

const value = (d: ReferenceDoc, key: string) => d.signals[key][0][2];

/**
 * The first rule of the RPv2 dataset card's `gopher_rules_pass` a document fails on the reference's
 * values (with ccnet_nlines = len(text.split("\n"))), or undefined when the card keeps it.
 */
export function cardFailure(d: ReferenceDoc): (typeof CARD_RULES)[number] | undefined {
  const words = value(d, 'rps_doc_word_count') as number;
  if (!(words >= 50 && words <= 100_000)) return 'word_count';
  const mwl = value(d, 'rps_doc_mean_word_length');
  if (mwl === null || mwl < 3 || mwl > 10) return 'mean_word_length';
  const symbols = value(d, 'rps_doc_symbol_to_word_ratio');
  if (symbols === null || symbols > 0.1) return 'symbol_to_word_ratio';
  const bullets = d.signals.rps_lines_start_with_bulletpoint.reduce((n, s) => n + (s[2] ?? 0), 0);
  if (!(bullets / d.text.split('\n').length <= 0.9)) return 'bullet_lines';
  const top2 = value(d, 'rps_doc_frac_chars_top_2gram');
  if (top2 === null || top2 > 0.2) return 'top_2gram';
  return undefined;
}
