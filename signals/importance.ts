import { RPV2_DSIR_NAMES } from '../src/dsir/signal-models.js';
import type { NumericDocSignal, SignalContext, SignalFamily } from '../src/signal.js';
import type { TextView } from '../src/text/index.js';

/*
 * DSIR importance weights (spec §3.7, §8.3), a family parametrised by model name: `--dsir NAME=MODEL`
 * gives `rps_doc_<NAME>_importance` and `rps_doc_<NAME>_importance_length_correction`, scored with the
 * model loaded into `SignalResources.dsir`; null without one. books, openwebtext and wikipedia give
 * the RPv2 keys and are always registered.
 */

/** rps_doc_<name>_importance: ln p(doc)/q(doc) under the model's hashed bag-of-{1,2}-grams, null for an empty text. */
export function docImportance(name: string): (view: TextView, ctx: SignalContext) => number | null {
  return (view, ctx) => ctx.resources.dsir?.get(name)?.importance(view) ?? null;
}

/** rps_doc_<name>_importance_length_correction: the importance plus ln Pois(len; λ_p)/Pois(len; λ_q), len in characters (spec §12 quirk 9). */
export function docImportanceLengthCorrection(name: string): (view: TextView, ctx: SignalContext) => number | null {
  return (view, ctx) => ctx.resources.dsir?.get(name)?.importanceLengthCorrected(view) ?? null;
}

/** The two signals of the model called `name`. */
export function importanceSignals(name: string): NumericDocSignal[] {
  return [
    {
      name: `rps_doc_${name}_importance`,
      level: 'doc',
      type: 'f64',
      description: `DSIR log importance weight toward the ${name} model (--dsir ${name}=MODEL), null without it.`,
      compute: docImportance(name),
    },
    {
      name: `rps_doc_${name}_importance_length_correction`,
      level: 'doc',
      type: 'f64',
      description: `rps_doc_${name}_importance plus the reference's Poisson length correction.`,
      compute: docImportanceLengthCorrection(name),
    },
  ];
}

export const importance: SignalFamily = {
  id: 'importance',
  version: 1,
  signals: RPV2_DSIR_NAMES.flatMap((name) => importanceSignals(name)),
};
