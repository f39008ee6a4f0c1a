/**
 * `sieve manifest merge DIR`: the manifests of an array job's tasks (`DIR/manifests/task-I-of-N.json`)
 * combined into `DIR/manifest.json`, as one process would have written it.
 */

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SieveError } from '../errors.js';
import { writeManifest } from './manifest.js';

/** The manifest of one array task, or of the whole run once merged: any command's, by its common fields. */
export interface TaskManifest {
  readonly command: string;
  readonly inputs: readonly unknown[];
  readonly totals: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** Sums numbers field by field, nested objects included (`dropped` per rule). */
function addTotals(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    if (typeof v === 'number') out[k] = (typeof prev === 'number' ? prev : 0) + v;
    else if (v !== null && typeof v === 'object') out[k] = addTotals((prev ?? {}) as Record<string, unknown>, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/** What {@link mergeManifests} wrote. */
export interface MergedManifests {
  /** The merged `DIR/manifest.json`. */
  readonly path: string;
  /** The number of task manifests merged. */
  readonly tasks: number;
  readonly manifest: TaskManifest;
}

/**
 * Merges the manifests the tasks of an array job wrote under `DIR/manifests/` (runs with `slice`)
 * into `DIR/manifest.json`: inputs back in input order, totals summed, as one process would have
 * written it. Throws when a task has not finished or the manifests come from different runs.
 *
 * @example
 * const { manifest } = await mergeManifests('out/run'); // after every task of `runRecipe({ …, slice })`
 */
export async function mergeManifests(dir: string): Promise<MergedManifests> {
  const folder = join(dir, 'manifests');
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /^task-\d+-of-\d+\.json$/.test(n));
  } catch {
    names = [];
  }
  if (names.length === 0) throw new SieveError('E_INPUT_MISSING', `no task manifests in ${folder}: run the array tasks (--task-index/--task-count) with --out ${dir} first`, { location: { file: folder } });
  const counts = new Set(names.map((n) => Number(/-of-(\d+)/.exec(n)![1])));
  if (counts.size !== 1) throw new SieveError('E_USAGE', `${folder} holds manifests of runs with different task counts (${[...counts].join(', ')}): remove the stale ones`);
  const count = [...counts][0];
  const tasks: TaskManifest[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(folder, `task-${i}-of-${count}.json`);
    try {
      tasks.push(JSON.parse(await readFile(path, 'utf8')) as TaskManifest);
    } catch {
      throw new SieveError('E_INPUT_MISSING', `task ${i} of ${count} has no manifest (${path}): it has not finished`, { location: { file: path } });
    }
  }
  const { inputs: _i, totals: _t, ...shape } = tasks[0];
  for (let i = 1; i < count; i++) {
    const { inputs: _a, totals: _b, ...other } = tasks[i];
    if (JSON.stringify(other) !== JSON.stringify(shape)) throw new SieveError('E_USAGE', `task ${i}'s manifest is from a different run than task 0's (command, recipe or options differ)`);
  }
  // Task i ran the shards i, i + N, …: interleave them back into input order.
  const inputs: unknown[] = [];
  for (let k = 0; inputs.length < tasks.reduce((n, t) => n + t.inputs.length, 0); k++) {
    for (const t of tasks) if (k < t.inputs.length) inputs.push(t.inputs[k]);
  }
  let totals: Record<string, unknown> = {};
  for (const t of tasks) totals = addTotals(totals, t.totals);
  const manifest: TaskManifest = { ...shape, command: tasks[0].command, inputs, totals };
  const path = await writeManifest(dir, manifest);
  return { path, tasks: count, manifest };
}
