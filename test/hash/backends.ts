/**
 * The backend matrix of the hashing tests (STYLE §13): every backend present on this machine, and
 * a printed skip, with its reason, for each one that is not.
 */

import { it } from 'node:test';
import { availableBackends, getBackend, unavailableBackends } from '../../src/native.js';
import type { HashBackend } from '../../src/hash/index.js';

let reported = false;

/** Every available backend; prints once which backends are skipped and why. */
export function backends(): HashBackend[] {
  if (!reported) {
    reported = true;
    for (const { name, reason } of unavailableBackends()) console.log(`SKIP backend ${name}: ${reason}`);
  }
  return availableBackends().map((name) => getBackend(name));
}

/** The native backends present (the ones compared bit for bit with `js`). */
export function nativeBackends(): HashBackend[] {
  return backends().filter((b) => b.name !== 'js');
}

/** The reason a backend is absent, for `it(..., { skip })`. */
export function skipReason(name: string): string | false {
  const missing = unavailableBackends().find((b) => b.name === name);
  return missing ? `${name} backend unavailable: ${missing.reason}` : false;
}

/** Registers one skipped test per absent backend, so the run's summary counts them with their reason. */
export function skipAbsent(what: string): void {
  for (const { name, reason } of unavailableBackends()) it(`${name}: ${what}`, { skip: `${name} backend unavailable: ${reason}` }, () => {});
}
