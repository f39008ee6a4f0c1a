import { rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Runs `work` with an empty `<out>/.work` for its intermediate files (key spills, stage files), and
 * removes it afterwards, whether the work succeeded or failed: spills can be gigabytes.
 */
export async function withWorkDir<T>(out: string, work: (workDir: string) => Promise<T>): Promise<T> {
  const workDir = join(out, '.work');
  await rm(workDir, { recursive: true, force: true });
  try {
    return await work(workDir);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
