import { createInterface } from 'node:readline';

/** Where the CLI writes and how it asks a question; tests pass a scripted one. */
export interface Terminal {
  /** Normal output (tables, progress, next steps). */
  out(line: string): void;
  /** Errors and warnings. */
  err(line: string): void;
  /** True when a person can answer a prompt (stdin and stdout are TTYs). */
  readonly interactive: boolean;
  /** Ask and return the typed line (without the newline). */
  ask(question: string): Promise<string>;
}

/** The process's own stdin/stdout/stderr. */
export function processTerminal(): Terminal {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    ask: (question) =>
      new Promise((resolve) => {
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        rl.question(question, (answer) => {
          rl.close();
          resolve(answer);
        });
      }),
  };
}
