import type { SignalContext, SignalFamily } from '../src/signal.js';
import type { TextView } from '../src/text/index.js';

/** A numeric CCNet field of the input record, as a float; null when absent or not a number. */
function ccnetField(ctx: SignalContext, field: string): number | null {
  const v = ctx.doc.meta[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** ccnet_length: CCNet `length` when the record has it, else the text's length in code points. */
export function ccnetLength(view: TextView, ctx: SignalContext): number {
  return ccnetField(ctx, 'length') ?? view.length;
}

/** ccnet_original_length: CCNet `original_length` (bytes of the WET block), null when absent. */
export function ccnetOriginalLength(_view: TextView, ctx: SignalContext): number | null {
  return ccnetField(ctx, 'original_length');
}

/** ccnet_nlines: CCNet `nlines` when present, else the number of pieces of `text.split("\n")`. */
export function ccnetNlines(view: TextView, ctx: SignalContext): number {
  const given = ccnetField(ctx, 'nlines');
  if (given !== null) return given;
  // One piece more than there are `\n`: the raw lines end at each `\n`, and at the end unless the
  // text ends with one (an empty text has no lines and no `\n`).
  const raw = view.raw;
  const lines = view.lineStartsUtf16.length - 1;
  return raw.length > 0 && raw.charCodeAt(raw.length - 1) !== 0x0a ? lines : lines + 1;
}

/** ccnet_original_nlines: CCNet `original_nlines` (WET lines before line dedup), null when absent. */
export function ccnetOriginalNlines(_view: TextView, ctx: SignalContext): number | null {
  return ccnetField(ctx, 'original_nlines');
}

/**
 * ccnet_language: CCNet `language` when the record has it, else the top label of `--lid-model` on the
 * text with every `\n` removed, as CCNet computes it (null without a model, or for an empty text).
 */
export function ccnetLanguage(view: TextView, ctx: SignalContext): string | null {
  const given = ctx.doc.meta.language;
  if (typeof given === 'string') return given;
  return ctx.resources.languageId?.identifyFor(ctx.doc, view.raw)?.label ?? null;
}

/**
 * ccnet_language_score: CCNet `language_score` when the record has it, else the probability of
 * CCNet's label from `--lid-model` rounded to 2 decimals half to even, as CCNet computes it.
 */
export function ccnetLanguageScore(view: TextView, ctx: SignalContext): number | null {
  return ccnetField(ctx, 'language_score') ?? ctx.resources.languageId?.identifyFor(ctx.doc, view.raw)?.score ?? null;
}

/** ccnet_perplexity: CCNet `perplexity` (KenLM on Wikipedia), null when absent. */
export function ccnetPerplexity(_view: TextView, ctx: SignalContext): number | null {
  return ccnetField(ctx, 'perplexity');
}

const BUCKETS: Readonly<Record<string, number>> = { head: 0, middle: 1, tail: 2 };

/** ccnet_bucket: CCNet `bucket` as a number (head 0, middle 1, tail 2), null otherwise. */
export function ccnetBucket(_view: TextView, ctx: SignalContext): number | null {
  const b = ctx.doc.meta.bucket;
  return typeof b === 'string' && b in BUCKETS ? BUCKETS[b] : null;
}

export const ccnet: SignalFamily = {
  id: 'ccnet',
  version: 2,
  signals: [
    { name: 'ccnet_length', level: 'doc', type: 'f64', description: 'CCNet length, else code points of the text.', compute: ccnetLength },
    { name: 'ccnet_original_length', level: 'doc', type: 'f64', description: 'CCNet original_length (WET bytes).', compute: ccnetOriginalLength },
    { name: 'ccnet_nlines', level: 'doc', type: 'f64', description: 'CCNet nlines, else pieces of text.split("\\n").', compute: ccnetNlines },
    { name: 'ccnet_original_nlines', level: 'doc', type: 'f64', description: 'CCNet original_nlines.', compute: ccnetOriginalNlines },
    { name: 'ccnet_language', level: 'doc', type: 'str', description: 'CCNet language, else the top label of --lid-model (fastText).', compute: ccnetLanguage },
    { name: 'ccnet_language_score', level: 'doc', type: 'f64', description: 'CCNet language_score, else its --lid-model probability, 2 decimals.', compute: ccnetLanguageScore },
    { name: 'ccnet_perplexity', level: 'doc', type: 'f64', description: 'CCNet perplexity (KenLM).', compute: ccnetPerplexity },
    { name: 'ccnet_bucket', level: 'doc', type: 'f64', description: 'CCNet bucket: head 0, middle 1, tail 2.', compute: ccnetBucket },
  ],
};
