import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

/** Runs `node --import tsx examples/<name> ARGS…` from the repository root, as the README says; returns its stdout. */
export function runExample(name: string, args: readonly string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'examples', name), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
