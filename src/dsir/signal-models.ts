/**
 * The DSIR models behind the importance signals (`--dsir NAME=MODEL`): parsing the option, loading
 * each model once per thread, and scoring one document at a time with its features memoised, so a
 * document's two signals per model, and the models sharing a feature space, hash it once.
 */

import { SieveError } from '../errors.js';
import type { TextView } from '../text/index.js';
import { featureBatch, type DsirFeatureSpec, type FeatureBatch } from './features.js';
import { loadDsirModel } from './model.js';
import { createDsirScorer } from './score.js';

/** `NAME=MODEL`: the signals `rps_doc_<NAME>_importance[_length_correction]` scored with the model file. */
export interface DsirModelRef {
  readonly name: string;
  readonly path: string;
}

/** Model names: they become part of signal names. */
export const DSIR_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** The names RPv2 publishes signals for (spec §3.7). */
export const RPV2_DSIR_NAMES = ['books', 'openwebtext', 'wikipedia'] as const;

/** Parses `NAME=MODEL`. */
export function parseDsirRef(text: string): DsirModelRef {
  const eq = text.indexOf('=');
  const name = eq > 0 ? text.slice(0, eq) : '';
  const path = eq > 0 ? text.slice(eq + 1) : '';
  if (!DSIR_NAME_PATTERN.test(name) || path === '') {
    throw new SieveError('E_USAGE', `--dsir takes NAME=MODEL with NAME in lower-case letters, digits and _, got "${text}"`, {
      hint: 'e.g. --dsir wikipedia=models/wikipedia.dsir.json gives rps_doc_wikipedia_importance',
    });
  }
  return { name, path };
}

/** Checks a list of model refs: valid names, each name once. */
export function checkDsirRefs(refs: readonly DsirModelRef[]): void {
  const seen = new Set<string>();
  for (const ref of refs) {
    parseDsirRef(`${ref.name}=${ref.path}`);
    if (seen.has(ref.name)) throw new SieveError('E_USAGE', `--dsir names "${ref.name}" twice`);
    seen.add(ref.name);
  }
}

/** What the importance signals of one model compute, on a document's view. */
export interface DsirSignalModel {
  readonly name: string;
  importance(view: TextView): number | null;
  importanceLengthCorrected(view: TextView): number | null;
}

/** Per feature space, each view's features, kept while the view lives. */
type FeatureMemo = Map<string, WeakMap<TextView, FeatureBatch>>;

function memoised(memo: FeatureMemo, spec: DsirFeatureSpec): (view: TextView) => FeatureBatch {
  const key = `${spec.kind}/${spec.buckets}`;
  let byView = memo.get(key);
  if (!byView) {
    byView = new WeakMap();
    memo.set(key, byView);
  }
  const views = byView;
  return (view) => {
    let features = views.get(view);
    if (!features) {
      features = featureBatch([view], spec);
      views.set(view, features);
    }
    return features;
  };
}

const loaded = new Map<string, Promise<ReadonlyMap<string, DsirSignalModel>>>();

/**
 * Loads the models of `refs` (once per thread for the same list) into the map the importance
 * signals read from `SignalResources.dsir`.
 */
export function loadDsirSignalModels(refs: readonly DsirModelRef[]): Promise<ReadonlyMap<string, DsirSignalModel>> {
  const key = JSON.stringify(refs.map((r) => [r.name, r.path]));
  let models = loaded.get(key);
  if (!models) {
    models = buildSignalModels(refs);
    loaded.set(key, models);
    // A failed load is reported to this caller and tried afresh by the next one.
    models.catch(() => loaded.delete(key));
  }
  return models;
}

async function buildSignalModels(refs: readonly DsirModelRef[]): Promise<ReadonlyMap<string, DsirSignalModel>> {
  checkDsirRefs(refs);
  const memo: FeatureMemo = new Map();
  const out = new Map<string, DsirSignalModel>();
  for (const ref of refs) {
    const scorer = createDsirScorer(await loadDsirModel(ref.path));
    const features = memoised(memo, scorer.model.features);
    out.set(ref.name, {
      name: ref.name,
      importance: (view) => scorer.importance(features(view), 0, view.raw),
      importanceLengthCorrected: (view) => scorer.importanceLengthCorrected(features(view), 0, view.raw),
    });
  }
  return out;
}
