import { SieveError } from '../errors.js';

/** Where a work queue lives: a Redis server and the queue's name on it. */
export interface QueueLocation {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly name: string;
  readonly password?: string;
}

/**
 * `redis://[:PASSWORD@]HOST[:PORT]/NAME` or `redis://HOST:PORT/DB/NAME`.
 *
 * @example
 * parseQueueUrl('redis://127.0.0.1:6379/c4-run'); // { host: '127.0.0.1', port: 6379, db: 0, name: 'c4-run' }
 */
export function parseQueueUrl(url: string): QueueLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SieveError('E_USAGE', `--queue ${url}: not a URL; use redis://HOST:PORT/NAME`);
  }
  if (parsed.protocol !== 'redis:') throw new SieveError('E_USAGE', `--queue ${url}: only redis:// queues are supported`);
  const parts = parsed.pathname.split('/').filter(Boolean);
  const name = parts.at(-1);
  const db = parts.length === 2 ? Number(parts[0]) : 0;
  if (!name || parts.length > 2 || !Number.isInteger(db) || !/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new SieveError('E_USAGE', `--queue ${url}: give the queue's name as the path, e.g. redis://${parsed.host || 'HOST:6379'}/my-run`);
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    name,
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/** The connection options BullMQ hands to ioredis. */
export function connectionOf(q: QueueLocation): { host: string; port: number; db: number; password?: string; maxRetriesPerRequest: null } {
  return { host: q.host, port: q.port, db: q.db, ...(q.password ? { password: q.password } : {}), maxRetriesPerRequest: null };
}
