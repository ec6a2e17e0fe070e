/** Every fault Footnote can raise. Expected outcomes (a refused question, an empty lookup) are values, not errors. */
export type FootnoteErrorCode =
  | 'CONFIG_INVALID'
  | 'CORPUS_MISSING'
  | 'CORPUS_EMPTY'
  | 'CORPUS_FILE_UNREADABLE'
  | 'CORPUS_FILE_NOT_UTF8'
  | 'CORPUS_FILE_EMPTY'
  | 'INDEX_MISSING'
  | 'INDEX_CORRUPT'
  | 'INDEX_MODEL_MISMATCH'
  | 'INDEX_FORMAT_MISMATCH'
  | 'INDEX_STALE'
  | 'INDEX_UNWRITABLE'
  | 'EMBEDDINGS_UNAVAILABLE'
  | 'STORE_UNAVAILABLE'
  | 'STORE_CORRUPT'
  | 'STORE_LOCKED'
  | 'STORE_SCHEMA_NEWER'
  | 'INPUT_INVALID'
  | 'INTERNAL';

/**
 * The one error class of the project. `message` always says what went wrong and what to do about it,
 * in words a moderator running the bot can act on.
 */
export class FootnoteError extends Error {
  readonly code: FootnoteErrorCode;

  constructor(code: FootnoteErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FootnoteError';
    this.code = code;
  }
}

/** True when `err` is a FootnoteError, optionally with one of the given codes. */
export function isFootnoteError(err: unknown, ...codes: FootnoteErrorCode[]): err is FootnoteError {
  return err instanceof FootnoteError && (codes.length === 0 || codes.includes(err.code));
}
