/**
 * What every kind of shard task shares, without the signal writers' dependencies (Arrow, the
 * Parquet engine): a recipe run that writes no Parquet loads none of them.
 */

import type { Document, Rejection } from '../document.js';
import { loadDsirSignalModels } from '../dsir/signal-models.js';
import type { SieveError } from '../errors.js';
import { fastTextResources } from '../fasttext/index.js';
import { loadUt1Blacklist } from '../resources/ut1.js';
import type { SignalResources } from '../signal.js';
import type { ShardInput } from './run-shards.js';
import type { ShardResult } from './shard-task.js';

/** The resources a shard's signals read: the UT1 list (cached per thread) and the shared fastText models. */
export async function shardResources(task: ShardInput): Promise<SignalResources> {
  const ut1 = task.ut1 ? await cachedUt1(task.ut1) : undefined;
  const dsir = task.dsir ? await loadDsirSignalModels(task.dsir) : undefined;
  return task.fasttext ? { ut1, dsir, ...fastTextResources(task.fasttext) } : { ut1, dsir };
}

const ut1Cache = new Map<string, Promise<ReadonlyMap<string, number>>>();

/** The UT1 map is large and the same for every shard: load it once per worker thread. */
function cachedUt1(dir: string): Promise<ReadonlyMap<string, number>> {
  let map = ut1Cache.get(dir);
  if (!map) {
    map = loadUt1Blacklist(dir);
    ut1Cache.set(dir, map);
  }
  return map;
}

/** A shard's error as the result the runner collects (errors cross threads as data). */
export function failure(task: { readonly input: string; readonly name: string }, e: SieveError): Extract<ShardResult, { ok: false }> {
  return {
    ok: false,
    input: task.input,
    name: task.name,
    cancelled: e.code === 'E_WORKER' && e.message.startsWith('cancelled'),
    error: { code: e.code, message: e.message, location: e.location, hint: e.hint },
  };
}

/** Records the rejections stand for (one may stand for several: a whole Parquet column, say). */
export function countRejected(rejections: readonly Rejection[]): number {
  return rejections.reduce((n, r) => n + (r.count ?? 1), 0);
}

/**
 * `--lang` wins; else the document's own `language`/`lang` field (RPv2, CCNet, Dolma); else the
 * `--lid-model` prediction (ccnet_language); else English.
 */
export function documentLanguage(doc: Document, fallback: string | undefined, resources?: SignalResources): string {
  if (fallback) return fallback;
  const l = doc.meta.language ?? doc.meta.lang;
  if (typeof l === 'string' && l.length > 0) return l;
  return resources?.languageId?.identifyFor(doc, doc.text)?.label ?? 'en';
}
