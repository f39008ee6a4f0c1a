import { existsSync, readFileSync } from 'node:fs';

/** This package's version, from package.json (one level up from `src/`, two from `dist/src/`). */
export const PACKAGE_VERSION: string = (() => {
  for (const candidate of ['../package.json', '../../package.json']) {
    const url = new URL(candidate, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'pajama-sieve' && pkg.version) return pkg.version;
  }
  return '0.0.0';
})();
