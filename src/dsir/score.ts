/**
 * DSIR importance weights (spec §8.3): the log-likelihood ratio of a document's hashed features
 * under the target model p and the raw model q, optionally with the reference's length correction.
 */

import type { SparseCounts } from '../hash/types.js';
import { codePointLength, round8 } from '../text/index.js';
import { textFeatureBatch, type FeatureBatch, type FeatureOptions } from './features.js';
import type { DsirModel } from './model.js';
import { poissonLengthCorrection } from './poisson.js';

/** The per-bucket log ratio w[b] = ln(p[b] + 1e-8) − ln(q[b] + 1e-8), p and q the normalised counts. */
export function logRatioWeights(model: DsirModel): Float64Array {
  const p = model.target.counts;
  const q = model.raw.counts;
  let pTotal = 0;
  let qTotal = 0;
  for (let b = 0; b < p.length; b++) {
    pTotal += p[b];
    qTotal += q[b];
  }
  const w = new Float64Array(p.length);
  for (let b = 0; b < p.length; b++) w[b] = Math.log(p[b] / pTotal + 1e-8) - Math.log(q[b] / qTotal + 1e-8);
  return w;
}

/** Σ_b features[b] · w[b] over document `doc` of a feature batch, unrounded. */
export function logRatioOf(counts: SparseCounts, doc: number, w: Float64Array): number {
  const { buckets, counts: values } = counts;
  let sum = 0;
  for (let k = counts.docOffsets[doc]; k < counts.docOffsets[doc + 1]; k++) sum += values[k] * w[buckets[k]];
  return sum;
}

/** Scores documents against one model. */
export interface DsirScorer {
  readonly model: DsirModel;
  /** `logRatioWeights(model)`. */
  readonly weights: Float64Array;
  /** The RPv2 importance of document `doc` of `features`, whose text is `text`: null for an empty text. */
  importance(features: FeatureBatch, doc: number, text: string): number | null;
  /** The same plus the reference's length correction, rounded once at the end as the reference does. */
  importanceLengthCorrected(features: FeatureBatch, doc: number, text: string): number | null;
  /** `importance` of each text (NaN where null), features computed in one batch. */
  importanceOfTexts(texts: readonly string[], options?: FeatureOptions): Float64Array;
}

/**
 * A scorer for `model`. Values follow the reference (spec §8.3): null for an empty text, 0 for a
 * text without tokens, rounded to 8 decimals.
 *
 * @example
 * const scorer = createDsirScorer(await loadDsirModel('wiki.dsir.json'));
 * scorer.importanceOfTexts(['An encyclopedia article.']);
 */
export function createDsirScorer(model: DsirModel): DsirScorer {
  const weights = logRatioWeights(model);
  const { lambda: targetLambda } = model.target;
  const { lambda: rawLambda } = model.raw;
  const scorer: DsirScorer = {
    model,
    weights,
    importance(features, doc, text) {
      return text.length === 0 ? null : round8(logRatioOf(features.counts, doc, weights));
    },
    importanceLengthCorrected(features, doc, text) {
      if (text.length === 0) return null;
      return round8(logRatioOf(features.counts, doc, weights) + poissonLengthCorrection(codePointLength(text), targetLambda, rawLambda));
    },
    importanceOfTexts(texts, options = {}) {
      const features = textFeatureBatch(texts, model.features, options);
      const out = new Float64Array(texts.length);
      for (let d = 0; d < texts.length; d++) out[d] = scorer.importance(features, d, texts[d]) ?? Number.NaN;
      return out;
    },
  };
  return scorer;
}
