import { AwsClients } from './aws-clients';
import type { Terminal } from './terminal';
import { processTerminal } from './terminal';

/** Everything a command needs from the outside world, injectable for tests. */
export interface RecoveryRuntime {
  readonly terminal: Terminal;
  readonly clients: AwsClients;
  /** Wait this many milliseconds. */
  sleep(ms: number): Promise<void>;
  /** The current time. */
  now(): Date;
}

export function defaultRuntime(): RecoveryRuntime {
  return {
    terminal: processTerminal(),
    clients: new AwsClients(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => new Date(),
  };
}
