import { createHash } from 'node:crypto';

/** The 45 `quality_signals` keys in the reference's output order (spec §3.9). */
export const RPV2_SIGNAL_ORDER = [
  'ccnet_length', 'ccnet_original_length', 'ccnet_nlines', 'ccnet_original_nlines', 'ccnet_language_score',
  'ccnet_perplexity', 'ccnet_bucket', 'rps_doc_curly_bracket', 'rps_doc_ldnoobw_words', 'rps_doc_lorem_ipsum',
  'rps_doc_stop_word_fraction', 'rps_doc_ut1_blacklist', 'rps_doc_frac_chars_dupe_10grams',
  'rps_doc_frac_chars_dupe_5grams', 'rps_doc_frac_chars_dupe_6grams', 'rps_doc_frac_chars_dupe_7grams',
  'rps_doc_frac_chars_dupe_8grams', 'rps_doc_frac_chars_dupe_9grams', 'rps_doc_frac_chars_top_2gram',
  'rps_doc_frac_chars_top_3gram', 'rps_doc_frac_chars_top_4gram', 'rps_doc_frac_all_caps_words',
  'rps_doc_frac_lines_end_with_ellipsis', 'rps_doc_frac_no_alph_words', 'rps_doc_frac_unique_words',
  'rps_doc_mean_word_length', 'rps_doc_num_sentences', 'rps_doc_symbol_to_word_ratio', 'rps_doc_unigram_entropy',
  'rps_doc_word_count', 'rps_lines_ending_with_terminal_punctution_mark', 'rps_lines_javascript_counts',
  'rps_lines_num_words', 'rps_lines_numerical_chars_fraction', 'rps_lines_start_with_bulletpoint',
  'rps_lines_uppercase_letter_fraction', 'rps_doc_ml_palm_score', 'rps_doc_ml_wikipedia_score',
  'rps_doc_ml_wikiref_score', 'rps_doc_books_importance', 'rps_doc_books_importance_length_correction',
  'rps_doc_openwebtext_importance', 'rps_doc_openwebtext_importance_length_correction',
  'rps_doc_wikipedia_importance', 'rps_doc_wikipedia_importance_length_correction',
] as const;

/** RPv2 `id_int`: the first 8 bytes of SHA-1 of the UTF-8 id, read little-endian as uint64 (spec §5.2). */
export function rpv2IdInt(id: string): bigint {
  return createHash('sha1').update(id, 'utf8').digest().readBigUInt64LE(0);
}

/** `{snapshot}/{nnnn}/{lang}_{part}.json.gz` and its parts, when a path follows the RPv2 document layout. */
export interface Rpv2Shard {
  readonly shardId: string;
  readonly snapshot: string;
  readonly lang: string;
}

const LAYOUT = /(\d{4}-\d{2})\/(\d{4})\/([a-z]{2,3})_(head|middle|tail)\.json\.gz$/;

export function rpv2Shard(path: string): Rpv2Shard | undefined {
  const m = LAYOUT.exec(path.replaceAll('\\', '/'));
  return m ? { shardId: `${m[1]}/${m[2]}/${m[3]}_${m[4]}.json.gz`, snapshot: m[1], lang: m[3] } : undefined;
}

/**
 * A number as msgspec writes it in the reference files: integral floats keep `.0`, ints are bare,
 * so our files can be compared with the published ones byte for byte where values agree.
 */
export function formatRpv2Number(value: number | null, integer: boolean): string {
  if (value === null) return 'null';
  if (integer) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return Object.is(value, -0) ? '-0.0' : `${value}.0`;
  return String(value);
}
