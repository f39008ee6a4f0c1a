import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeAtomically } from '../io/atomic-file.js';

/** One input's line in the manifest: every record it held is either a document written or a rejection. */
export interface ManifestInput {
  readonly input: string;
  readonly name: string;
  readonly documents: number;
  readonly rejected: number;
  readonly outputs: readonly string[];
  readonly rejectedFile?: string;
}

/** A manifest's sums over its inputs. */
export interface ManifestTotals {
  readonly inputs: number;
  readonly documents: number;
  readonly rejected: number;
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
  return {
    inputs: inputs.length,
    documents: inputs.reduce((n, i) => n + i.documents, 0),
    rejected: inputs.reduce((n, i) => n + i.rejected, 0),
  };
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
