import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root directory: the nearest directory above this module with our package.json.
 * The module runs from `src/` (tsx), `dist/src/` (the library) or `dist/cli/` (the bundled CLI),
 * so the root is found, not assumed at a fixed depth.
 */
export const PACKAGE_ROOT: string = (() => {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'pajama-sieve') return dir;
    if (dirname(dir) === dir) return dirname(start);
  }
})();
