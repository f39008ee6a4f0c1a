import { SieveError } from '../errors.js';
import { FastTextModel } from './fasttext-model.js';
import { LanguageIdentifier } from './language-identifier.js';
import { loadModelData } from './load-model-data.js';
import type { FastTextModelData } from './model-data.js';

/** A classifier named on the command line: `--classifier NAME[:LABEL]=PATH`. */
export interface ClassifierSpec {
  /** Its signal is `fasttext:<name>`; `wikiref`, `palm` and `wikipedia` also feed `rps_doc_ml_<name>_score`. */
  readonly name: string;
  readonly path: string;
  /** The label whose probability `fasttext:<name>` gives, with or without `__label__`. @default the model's first label */
  readonly label?: string;
}

/** Classifier names are identifiers, so that `fasttext:<name>` can be written in a recipe rule. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `NAME[:LABEL]=PATH` (split at the first `=`, then the first `:` of the left side). */
export function parseClassifierSpec(text: string): ClassifierSpec {
  const eq = text.indexOf('=');
  const left = eq === -1 ? '' : text.slice(0, eq);
  const colon = left.indexOf(':');
  const name = colon === -1 ? left : left.slice(0, colon);
  const label = colon === -1 ? undefined : left.slice(colon + 1);
  const path = text.slice(eq + 1);
  if (eq === -1 || !NAME.test(name) || path.length === 0 || label === '') {
    throw new SieveError('E_USAGE', `--classifier ${JSON.stringify(text)}: expected NAME=PATH or NAME:LABEL=PATH with NAME a letter or _ followed by letters, digits or _`, {
      hint: 'e.g. --classifier wikiref=models/wikiref.model.bin --classifier dclm:__label__hq=models/dclm.bin',
    });
  }
  return label === undefined ? { name, path } : { name, path, label };
}

/** The spec as written on the command line. */
export function formatClassifierSpec(spec: ClassifierSpec): string {
  return `${spec.name}${spec.label === undefined ? '' : `:${spec.label}`}=${spec.path}`;
}

/** The fastText models of a run, loaded once by the main thread: plain data that workers share without copying. */
export interface FastTextResourceData {
  readonly lid?: FastTextModelData;
  readonly classifiers: readonly { readonly name: string; readonly label: number; readonly model: FastTextModelData }[];
}

/** A classifier ready to predict: its model and the index of the label `fasttext:<name>` reports. */
export interface FastTextClassifier {
  readonly model: FastTextModel;
  readonly label: number;
}

/** What signals read: CCNet-style language id and the classifiers by name. */
export interface FastTextResources {
  readonly languageId?: LanguageIdentifier;
  readonly classifiers: ReadonlyMap<string, FastTextClassifier>;
}

/** Loads `--lid-model` and every `--classifier` (a file named twice is loaded once); undefined when there are none. */
export async function loadFastTextResources(options: { readonly lidModel?: string; readonly classifiers?: readonly ClassifierSpec[] }): Promise<FastTextResourceData | undefined> {
  const specs = options.classifiers ?? [];
  if (options.lidModel === undefined && specs.length === 0) return undefined;
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new SieveError('E_USAGE', `--classifier ${s.name} is given twice`);
    seen.add(s.name);
  }
  const loaded = new Map<string, Promise<FastTextModelData>>();
  const load = (path: string) => {
    let data = loaded.get(path);
    if (!data) {
      data = loadModelData(path);
      loaded.set(path, data);
    }
    return data;
  };
  const lid = options.lidModel === undefined ? undefined : await load(options.lidModel);
  const classifiers = [];
  for (const spec of specs) {
    const model = await load(spec.path);
    classifiers.push({ name: spec.name, label: labelOf(spec, model), model });
  }
  return { lid, classifiers };
}

function labelOf(spec: ClassifierSpec, data: FastTextModelData): number {
  const model = FastTextModel.fromData(data);
  if (model.labels.length === 0) throw new SieveError('E_USAGE', `fastText model ${spec.path} has no labels`, { location: { file: spec.path } });
  if (spec.label === undefined) return 0;
  const index = model.labelIndex(spec.label);
  if (index === -1) {
    throw new SieveError('E_USAGE', `--classifier ${spec.name}: model ${spec.path} has no label ${JSON.stringify(spec.label)}`, {
      hint: `its labels: ${model.labels.slice(0, 20).join(', ')}${model.labels.length > 20 ? ', …' : ''}`,
    });
  }
  return index;
}

/** Wraps loaded model data for this thread (the memory stays shared). */
export function fastTextResources(data: FastTextResourceData): FastTextResources {
  return {
    languageId: data.lid ? new LanguageIdentifier(FastTextModel.fromData(data.lid)) : undefined,
    classifiers: new Map(data.classifiers.map((c) => [c.name, { model: FastTextModel.fromData(c.model), label: c.label }])),
  };
}
