/** The outcome of one check of a restored resource. */
export interface CheckResult {
  readonly ok: boolean;
  /** Why, in a sentence an on-call engineer understands (sent as ValidationStatusMessage). */
  readonly message: string;
}

/** AWS Backup keeps validation messages short; keep the start, which says what failed. */
export function shortMessage(message: string, max = 1000): string {
  return message.length <= max ? message : `${message.slice(0, max - 3)}...`;
}
