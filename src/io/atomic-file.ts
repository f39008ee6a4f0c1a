import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { toSieveError } from '../errors.js';

/** The temporary name an output is written under until it is complete. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Runs `write` on a temporary path next to `path`, then renames it into place, so a reader
 * (or a resumed run) never sees a partial file under the final name. On failure the
 * temporary file is removed and the error rethrown.
 */
export async function writeAtomically<T>(path: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = temporaryPath(path);
  try {
    const result = await write(tmp);
    await rename(tmp, path);
    return result;
  } catch (err) {
    await rm(tmp, { force: true });
    throw toSieveError(err, 'E_IO', `cannot write ${path}`, { file: path });
  }
}

/**
 * Removes the temporary files a killed run left next to `paths` (the outputs this run now owns and
 * has written). Only those names are touched, so other tasks writing into the same folder are safe.
 */
export async function removeStaleTemporaries(paths: readonly string[]): Promise<void> {
  const byDir = new Map<string, Set<string>>();
  for (const p of paths) {
    const dir = dirname(p);
    let names = byDir.get(dir);
    if (!names) byDir.set(dir, (names = new Set()));
    names.add(basename(p));
  }
  for (const [dir, names] of byDir) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const entry of entries) {
      const m = TEMPORARY.exec(entry);
      if (m && names.has(m[1])) await rm(join(dir, entry), { force: true });
    }
  }
}

const TEMPORARY = /^\.(.+)\.\d+-[0-9a-f]{8}\.tmp$/;
