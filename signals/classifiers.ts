import type { FastTextClassifier } from '../src/fasttext/index.js';
import type { NumericDocSignal, SignalContext, SignalFamily } from '../src/signal.js';
import { pySplitlines, pyStrip, round8, type TextView } from '../src/text/index.js';

/** Prefix of the generic classifier signals, `fasttext:<name>` for `--classifier <name>=PATH`. */
export const FASTTEXT_SIGNAL_PREFIX = 'fasttext:';

/** The RPv2 signals that score with a named classifier (`--classifier <name>=PATH`), null without it. */
export const CLASSIFIER_OF_SIGNAL: Readonly<Record<string, string>> = {
  rps_doc_ml_palm_score: 'palm',
  rps_doc_ml_wikipedia_score: 'wikipedia',
  rps_doc_ml_wikiref_score: 'wikiref',
};

/** RPv2's classifier input (spec §9.1): the raw lines (`str.splitlines`) joined by one space, stripped. */
export function classifierText(view: TextView): string {
  return pyStrip(pySplitlines(view.raw).join(' '));
}

/**
 * RPv2's classifier score (spec §3.6, §9.1): the top label's probability, or 1 − it when that label
 * is `__label__cc`, rounded to 8 decimals; null without the model or for an empty text.
 */
function rpv2Score(view: TextView, classifier: FastTextClassifier | undefined): number | null {
  if (classifier === undefined || view.raw.length === 0) return null;
  const [top] = classifier.model.predict(classifierText(view), 1);
  if (top === undefined) return null;
  return round8(top.label === '__label__cc' ? 1 - top.probability : top.probability);
}

/** The classifier of that name, if the run has it and the document's language is one RPv2 scores with it. */
function classifierFor(ctx: SignalContext, name: string, languages: readonly string[]): FastTextClassifier | undefined {
  return languages.includes(ctx.lang) ? ctx.resources.classifiers?.get(name) : undefined;
}

/** rps_doc_ml_wikiref_score: RPv1's Wikipedia-references classifier (`__label__wiki` vs `__label__cc`), en only. */
export function rpsDocMlWikirefScore(view: TextView, ctx: SignalContext): number | null {
  return rpv2Score(view, classifierFor(ctx, 'wikiref', ['en']));
}

/** rps_doc_ml_palm_score: the PaLM-data classifier (`__label__palm` vs `__label__cc`), en only. */
export function rpsDocMlPalmScore(view: TextView, ctx: SignalContext): number | null {
  return rpv2Score(view, classifierFor(ctx, 'palm', ['en']));
}

/** rps_doc_ml_wikipedia_score: the Wikipedia classifier (`__label__wikipedia` vs `__label__cc`), de, fr, es and it only. */
export function rpsDocMlWikipediaScore(view: TextView, ctx: SignalContext): number | null {
  return rpv2Score(view, classifierFor(ctx, 'wikipedia', ['de', 'fr', 'es', 'it']));
}

/**
 * fasttext:<name>: the probability the classifier `--classifier <name>[:LABEL]=PATH` gives its
 * label on the RPv2 classifier input, unrounded; null for an empty text or without that classifier.
 */
export function fastTextSignal(name: string): NumericDocSignal {
  return {
    name: `${FASTTEXT_SIGNAL_PREFIX}${name}`,
    level: 'doc',
    type: 'f64',
    description: `fastText classifier "${name}": probability of its label.`,
    compute(view, ctx) {
      const classifier = ctx.resources.classifiers?.get(name);
      if (classifier === undefined || view.raw.length === 0) return null;
      return classifier.model.probability(classifierText(view), classifier.label);
    },
  };
}

export const classifiers: SignalFamily = {
  id: 'classifiers',
  version: 1,
  signals: [
    { name: 'rps_doc_ml_palm_score', level: 'doc', type: 'f64', description: 'fastText PaLM-data classifier score (--classifier palm=PATH), en.', compute: rpsDocMlPalmScore },
    { name: 'rps_doc_ml_wikipedia_score', level: 'doc', type: 'f64', description: 'fastText Wikipedia classifier score (--classifier wikipedia=PATH), de/fr/es/it.', compute: rpsDocMlWikipediaScore },
    { name: 'rps_doc_ml_wikiref_score', level: 'doc', type: 'f64', description: 'fastText Wikipedia-references classifier score (--classifier wikiref=PATH), en.', compute: rpsDocMlWikirefScore },
  ],
};
