import type { Terminal } from './terminal';

/**
 * The gate every changing AWS call goes through. In a dry run it prints the exact call (service,
 * operation and parameters) and does nothing; otherwise it prints a one-line trace and sends it.
 * Read-only calls (Describe, List, Get) do not go through here: a dry run makes them so that the
 * printed parameters are the real ones.
 */
export class ChangeGate {
  /** Every call printed or made, in order (for the summary and for tests). */
  readonly calls: { operation: string; params: unknown }[] = [];

  constructor(
    private readonly terminal: Terminal,
    readonly dryRun: boolean,
    /** Print each call on one line (for commands that make many calls). */
    private readonly oneLine = false,
  ) {}

  /** `operation` is `service:Operation`, e.g. `rds:CreateDBInstance`. */
  async run<T>(operation: string, params: object, send: () => Promise<T>): Promise<T | undefined> {
    this.calls.push({ operation, params });
    if (this.dryRun) {
      this.terminal.out(
        `[dry run] would call ${operation} ${JSON.stringify(params, null, this.oneLine ? undefined : 2)}`,
      );
      return undefined;
    }
    if (!this.oneLine) this.terminal.out(`calling ${operation}`);
    return send();
  }
}
