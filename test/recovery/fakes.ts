import type { ClientSettings, RecoveryRuntime, Terminal } from '../../lib/recovery';
import { AwsClients } from '../../lib/recovery';

/** Fake credentials: nothing in these tests may reach AWS. */
export const FAKE_SETTINGS: ClientSettings = {
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
};

export interface RecordingTerminal extends Terminal {
  readonly lines: string[];
  readonly errors: string[];
  readonly questions: string[];
  /** stdout and stderr, joined. */
  text(): string;
}

/** A terminal that records output and answers prompts from a script. */
export function recordingTerminal(
  options: { interactive?: boolean; answers?: string[] } = {},
): RecordingTerminal {
  const answers = [...(options.answers ?? [])];
  const lines: string[] = [];
  const errors: string[] = [];
  const questions: string[] = [];
  return {
    lines,
    errors,
    questions,
    interactive: options.interactive ?? false,
    out: (line) => lines.push(line),
    err: (line) => errors.push(line),
    ask: async (question) => {
      questions.push(question);
      return answers.shift() ?? '';
    },
    text: () => [...lines, ...errors].join('\n'),
  };
}

export interface FakeRuntime extends RecoveryRuntime {
  readonly terminal: RecordingTerminal;
  readonly sleeps: number[];
}

/** A runtime with a manual clock that `sleep` advances, and recorded output. */
export function fakeRuntime(
  options: {
    now?: Date;
    interactive?: boolean;
    answers?: string[];
    clients?: AwsClients;
  } = {},
): FakeRuntime {
  let now = (options.now ?? new Date('2025-03-01T12:00:00Z')).getTime();
  const sleeps: number[] = [];
  return {
    terminal: recordingTerminal(options),
    clients: options.clients ?? new AwsClients(FAKE_SETTINGS),
    sleeps,
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}
