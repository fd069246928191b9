import { OperationFailedError } from './errors';
import type { RecoveryRuntime } from './runtime';

/** One observation of something being waited for. */
export interface Observation {
  /** Short status shown to the user, e.g. `creating`, `RUNNING 40%`. */
  readonly status: string;
  /** The wait is over, successfully. */
  readonly done: boolean;
  /** The wait is over, unsuccessfully: why. */
  readonly failure?: string;
}

export interface WaitOptions {
  /** What is being waited for, e.g. `cluster logi-prod-...-restore-202503010230`. */
  readonly what: string;
  /** First delay between polls (ms). @default 5000 */
  readonly initialDelayMs?: number;
  /** Longest delay between polls (ms). @default 30000 */
  readonly maxDelayMs?: number;
  /** Give up after this long (ms). @default 3 hours */
  readonly timeoutMs?: number;
  /** What the user should do if the wait times out or fails. */
  readonly fix: string;
}

/** `1h 02m 05s` */
export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : m > 0 ? `${m}m ${pad(s)}s` : `${s}s`;
}

/**
 * Poll `observe` with exponential backoff (x1.5, capped) until done, failed or timed out. Prints
 * each status transition with the elapsed time, and a heartbeat line every few polls so a
 * person watching at 3 a.m. sees it is still alive.
 */
export async function waitFor(
  runtime: RecoveryRuntime,
  options: WaitOptions,
  observe: () => Promise<Observation>,
): Promise<void> {
  const { terminal } = runtime;
  const start = runtime.now().getTime();
  const timeout = options.timeoutMs ?? 3 * 3600_000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let delay = options.initialDelayMs ?? 5_000;
  let last: string | undefined;
  let polls = 0;
  terminal.out(`Waiting for ${options.what} ...`);
  for (;;) {
    const seen = await observe();
    const elapsed = formatElapsed(runtime.now().getTime() - start);
    polls += 1;
    if (seen.status !== last) {
      terminal.out(`  [${elapsed}] ${options.what}: ${last ?? '(start)'} -> ${seen.status}`);
      last = seen.status;
    } else if (polls % 5 === 0) {
      terminal.out(`  [${elapsed}] ${options.what}: still ${seen.status}`);
    }
    if (seen.failure) {
      throw new OperationFailedError(
        `${options.what} failed after ${elapsed}: ${seen.failure}`,
        options.fix,
      );
    }
    if (seen.done) {
      terminal.out(`  [${elapsed}] ${options.what}: done`);
      return;
    }
    if (runtime.now().getTime() - start >= timeout) {
      throw new OperationFailedError(
        `gave up waiting for ${options.what} after ${elapsed} (last status: ${seen.status})`,
        options.fix,
      );
    }
    await runtime.sleep(delay);
    delay = Math.min(Math.round(delay * 1.5), maxDelay);
  }
}
