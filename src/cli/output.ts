import { SieveError, formatLocation } from '../errors.js';

/** Exit code for an error: 2 for bad usage or bad input, 1 for anything else. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof SieveError && (err.code === 'E_USAGE' || err.code === 'E_RECIPE' || err.code.startsWith('E_INPUT'))) return 2;
  return 1;
}

/** Prints an error as one line (`sieve: CODE: message at file:line`), a hint line, and the stack only with --debug. */
export function printError(err: unknown, debug: boolean): void {
  if (err instanceof SieveError && err.issues && err.issues.length > 0) {
    // One line per problem, `file:line:col message`, each followed by its source excerpt.
    for (const issue of err.issues) {
      process.stderr.write(`${issue.file}:${issue.line}:${issue.column} ${issue.message}\n`);
      if (issue.excerpt) process.stderr.write(`${issue.excerpt.replace(/^/gm, '  ')}\n`);
    }
    process.stderr.write(`sieve: ${err.code}: ${err.message}\n`);
    return;
  }
  if (err instanceof SieveError) {
    const where = err.location ? ` at ${formatLocation(err.location)}` : '';
    process.stderr.write(`sieve: ${err.code}: ${printable(err.message + where)}\n`);
    if (err.hint) process.stderr.write(`  hint: ${printable(err.hint)}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`sieve: internal error: ${printable(message)}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('  (rerun with --debug for the stack trace, and please report it)\n');
}

/**
 * Control characters escaped as `\uXXXX`: messages quote input bytes (a NUL, an ESC starting a
 * terminal sequence, a newline in a file name) and must stay one harmless line on a terminal.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `1234567` → `1,234,567` (without Intl, whose first use costs ~25 ms of start-up). */
export function formatCount(n: number): string {
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '--';
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
