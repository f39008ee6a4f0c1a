import { createRequire } from 'node:module';

/** This package's version, from package.json (one level up from both `src/` and `dist/src/`). */
export const PACKAGE_VERSION: string = (() => {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'pajama-sieve' && pkg.version) return pkg.version;
    } catch {
      continue; // not at this depth; try the next
    }
  }
  return '0.0.0';
})();
