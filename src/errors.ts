/** Error codes, as a closed set so callers can switch on them. */
export const ERROR_CODES = [
  'E_USAGE',
  'E_RECIPE',
  'E_INPUT_MISSING',
  'E_INPUT_EMPTY',
  'E_INPUT_PARSE',
  'E_INPUT_ENCODING',
  'E_INPUT_FIELD',
  'E_INPUT_TRUNCATED',
  'E_INPUT_FORMAT',
  'E_INPUT_UNREADABLE',
  'E_INPUT_TOO_LARGE',
  'E_IO',
  'E_SIGNAL',
  'E_MISSING_DEP',
  'E_WORKER',
] as const;
/** One of {@link ERROR_CODES}: what kind of problem a `SieveError` reports. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What the runner does with an error: stop the run, give up one shard, or try again. */
export type Severity = 'fatal' | 'shard' | 'retryable';

/** Where in an input an error was found. Lines are 1-based; byte offsets 0-based. */
export interface ErrorLocation {
  readonly file: string;
  readonly line?: number;
  /** 0-based record index, for formats without lines (Parquet rows, WARC records). */
  readonly record?: number;
  readonly byteOffset?: number;
}

/** One problem found in a source file (a recipe), with its position and the source lines under a caret. */
export interface SourceIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The source line and a caret line pointing at the problem. */
  readonly excerpt?: string;
}

/** What a `SieveError` carries beside its code and message. */
export interface SieveErrorOptions {
  readonly severity?: Severity;
  readonly location?: ErrorLocation;
  readonly hint?: string;
  readonly cause?: unknown;
  /** Every problem found, when a file is checked as a whole (recipes report them all at once). */
  readonly issues?: readonly SourceIssue[];
}

/** The one error type the library throws: a code, a severity and, for input errors, a location. */
export class SieveError extends Error {
  readonly code: ErrorCode;
  readonly severity: Severity;
  readonly location?: ErrorLocation;
  readonly hint?: string;
  readonly issues?: readonly SourceIssue[];

  constructor(code: ErrorCode, message: string, options: SieveErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SieveError';
    this.code = code;
    this.severity = options.severity ?? 'fatal';
    this.location = options.location;
    this.hint = options.hint;
    this.issues = options.issues;
  }

  /** `message at file:line`, the form the CLI prints. */
  describe(): string {
    return this.location ? `${this.message} at ${formatLocation(this.location)}` : this.message;
  }
}

/** A location as `file:line`, `file (record N)` or `file (byte N)`. */
export function formatLocation(loc: ErrorLocation): string {
  if (loc.line !== undefined) return `${loc.file}:${loc.line}`;
  if (loc.record !== undefined) return `${loc.file} (record ${loc.record})`;
  if (loc.byteOffset !== undefined) return `${loc.file} (byte ${loc.byteOffset})`;
  return loc.file;
}

/** Wraps anything thrown into a SieveError, keeping SieveErrors as they are. */
export function toSieveError(err: unknown, code: ErrorCode, message: string, location?: ErrorLocation): SieveError {
  if (err instanceof SieveError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new SieveError(code, `${message}: ${detail}`, { location, cause: err });
}
