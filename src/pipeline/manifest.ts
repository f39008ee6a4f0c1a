import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeAtomically } from '../io/atomic-file.js';
import type { DuplicateIds } from '../io/duplicate-ids.js';

/** One input's line in the manifest: every record it held is either a document written or a rejection. */
export interface ManifestInput {
  readonly input: string;
  readonly name: string;
  readonly documents: number;
  readonly rejected: number;
  readonly outputs: readonly string[];
  readonly rejectedFile?: string;
  /** Present when some documents reuse an id seen earlier in this input (they are processed all the same). */
  readonly duplicateIds?: DuplicateIds;
}

/** A manifest's sums over its inputs. */
export interface ManifestTotals {
  readonly inputs: number;
  readonly documents: number;
  readonly rejected: number;
  /** Documents reusing an id within their input, when there are any. */
  readonly duplicateIds?: number;
}

/** `manifest.json`: what a run read and wrote. No timestamps, so reruns give the same bytes. */
export interface Manifest {
  readonly tool: string;
  readonly command: string;
  readonly signals: readonly string[];
  readonly options: Readonly<Record<string, string | number | boolean | null>>;
  readonly inputs: readonly ManifestInput[];
  readonly totals: ManifestTotals;
}

export function manifestTotals(inputs: readonly ManifestInput[]): ManifestTotals {
  const duplicateIds = totalDuplicateIds(inputs);
  return {
    inputs: inputs.length,
    documents: inputs.reduce((n, i) => n + i.documents, 0),
    rejected: inputs.reduce((n, i) => n + i.rejected, 0),
    ...(duplicateIds > 0 ? { duplicateIds } : {}),
  };
}

/** Documents reusing an id within their input, over all inputs. */
export function totalDuplicateIds(inputs: readonly { readonly duplicateIds?: DuplicateIds }[]): number {
  return inputs.reduce((n, i) => n + (i.duplicateIds?.count ?? 0), 0);
}

export const MANIFEST_FILE = 'manifest.json';

/** Where an array task's manifest goes until `sieve manifest merge` combines them. */
export function taskManifestPath(outDir: string, slice: { readonly index: number; readonly count: number }): string {
  return join(outDir, 'manifests', `task-${slice.index}-of-${slice.count}.json`);
}

/** Writes `manifest.json`, or with a slice of an array job (count > 1) that task's manifest. */
export async function writeManifest(outDir: string, manifest: object, slice?: { readonly index: number; readonly count: number }): Promise<string> {
  const path = slice && slice.count > 1 ? taskManifestPath(outDir, slice) : join(outDir, MANIFEST_FILE);
  await mkdir(dirname(path), { recursive: true });
  await writeAtomically(path, (tmp) => writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n'));
  return path;
}
