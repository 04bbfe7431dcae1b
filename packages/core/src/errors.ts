/** Codes let callers (and the CLI) react to a class of failure without parsing messages. */
export type QatkitErrorCode =
  | 'UNSUPPORTED_LAYER'
  | 'ALREADY_QUANTIZED'
  | 'UNSUPPORTED_OP'
  | 'INVALID_GRAPH'
  | 'INVALID_RANGE'
  | 'INVALID_SHAPE'
  | 'INVALID_OPTION'
  | 'MALFORMED_MODEL'
  | 'DUPLICATE_PLUGIN'
  | 'NOT_FOUND';

export class QatkitError extends Error {
  readonly code: QatkitErrorCode;
  constructor(code: QatkitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QatkitError';
    this.code = code;
  }
}

export function isQatkitError(value: unknown, code?: QatkitErrorCode): value is QatkitError {
  return value instanceof QatkitError && (code === undefined || value.code === code);
}
