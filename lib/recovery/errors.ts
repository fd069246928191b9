/**
 * Errors the on-call CLI reports as one clear message plus the fix, with a distinct exit code.
 * Every refusal happens before any change is made.
 */

/** Exit codes of `npm run restore`. */
export const EXIT = {
  ok: 0,
  /** An AWS call or a wait failed part-way; read the message for what was done. */
  failed: 1,
  /** Bad input (option value, unknown environment, wrong recovery point type). Nothing was done. */
  badInput: 2,
  /** Refused (confirmation missing or wrong, preflight failed, unsafe target). Nothing was done. */
  refused: 3,
} as const;

export abstract class RecoveryError extends Error {
  abstract readonly exitCode: number;
  constructor(
    message: string,
    /** What to do about it. */
    readonly fix: string,
  ) {
    super(message);
  }

  /** `error: ...` then `  fix: ...` */
  render(): string {
    return `error: ${this.message}\n  fix: ${this.fix}`;
  }
}

/** A bad option value: names the option and the fix. */
export class InputError extends RecoveryError {
  readonly exitCode = EXIT.badInput;
  override readonly name = 'InputError';
  constructor(
    /** The option, e.g. `--env`. */
    readonly option: string,
    message: string,
    fix: string,
  ) {
    super(`${option}: ${message}`, fix);
  }
}

/** A safety refusal: the input is well formed but the action is unsafe or unconfirmed. */
export class RefusedError extends RecoveryError {
  readonly exitCode = EXIT.refused;
  override readonly name = 'RefusedError';
}

/** A failure after the command started acting (an AWS error, a failed restore job). */
export class OperationFailedError extends RecoveryError {
  readonly exitCode = EXIT.failed;
  override readonly name = 'OperationFailedError';
}
