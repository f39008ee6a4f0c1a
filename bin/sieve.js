#!/usr/bin/env node
// The CLI runs from its bundle in dist/cli/; `npm install` builds it (the `prepare` script).
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    console.error('sieve: the package is not built yet: run `npm run build` in its folder');
    process.exit(1);
  }
  throw err;
});
