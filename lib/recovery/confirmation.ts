import { RefusedError } from './errors';
import type { Terminal } from './terminal';

export interface ConfirmationRequest {
  /** The exact text to type: `<env>/<resource>`, e.g. `prod/logi-prod-ap-southeast-2-aurora`. */
  readonly expected: string;
  /** What is about to happen, shown before the prompt. */
  readonly action: string;
  /** The `--confirm` value, for automation; must equal `expected` exactly. */
  readonly supplied?: string;
}

/**
 * The typed confirmation every destructive command needs. With `--confirm` the text must match
 * exactly; without it a person must type it at a terminal; without a terminal, refuse. No error
 * message ever contains the expected text: it would be copied into a rerun without reading.
 */
export async function requireConfirmation(
  terminal: Terminal,
  request: ConfirmationRequest,
): Promise<void> {
  const { expected, action, supplied } = request;
  if (supplied !== undefined) {
    if (supplied !== expected) {
      throw new RefusedError(
        `--confirm "${supplied}" does not match; nothing was done`,
        `read the plan above, then pass --confirm <environment>/<name of the resource it changes>`,
      );
    }
    terminal.out(`Confirmed by --confirm ${expected}.`);
    return;
  }
  if (!terminal.interactive) {
    throw new RefusedError(
      'confirmation needed but there is no terminal to ask at; nothing was done',
      'run it in a terminal, or pass --confirm <environment>/<name of the resource it changes>',
    );
  }
  terminal.out(`About to ${action}.`);
  const typed = await terminal.ask(`Type ${expected} to continue: `);
  if (typed.trim() !== expected) {
    throw new RefusedError(
      `typed "${typed.trim()}", which does not match; nothing was done`,
      'run the command again and type the text shown in the prompt exactly',
    );
  }
}
