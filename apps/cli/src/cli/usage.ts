/** The `qatkit` exit codes; scripts and CI branch on them, so they are part of the interface. */
export const EXIT = {
  ok: 0,
  /** Something failed at run time (bad data file, backend, export error). */
  failure: 1,
  /** Wrong command, option or value (the usual code for usage errors). */
  usage: 2,
  /** The deployed model disagrees with the QAT model (the files are still written). */
  disagreement: 3,
  /** `qatkit check`: some op is not on a named accelerator, or a target refuses the model. */
  notAccelerated: 4,
} as const;

/** The same codes for help texts. */
export const EXIT_CODES_HELP = `
Exit codes:
  ${EXIT.ok}  success (also --help and --version)
  ${EXIT.failure}  failure at run time (unreadable data, export or runtime error)
  ${EXIT.usage}  usage error: unknown command or option, invalid value
  ${EXIT.disagreement}  the deployed int8 model disagrees with the QAT model: more than 1% of its
     outputs are more than one output quantization step apart (the .tflite
     files are still written, for inspection)
  ${EXIT.notAccelerated}  qatkit check: some op is not on a named accelerator (or a target refuses the model)
`;

/** A wrong option value or argument: reported as `error: <message>` with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A count given on the command line. Digits only: "1e3", "0x10" or "5.0" are more likely typos
 * than intent. Commander hands over the default itself (a number) when the flag is absent.
 */
export function positiveInt(flag: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${String(value)}"`);
  return n;
}

/** One of a fixed set of words; the message lists them as "a, b or c". */
export function oneOf<const T extends string>(flag: string, value: unknown, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) {
    const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]!}` : allowed.join('');
    throw new UsageError(`${flag} must be ${list}, got "${String(value)}"`);
  }
  return found;
}

/** A path or name that must not be empty (an empty --data would quietly mean "the default"). */
export function nonEmpty(flag: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return value;
}
