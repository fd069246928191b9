import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError } from './errors';

/**
 * Runs a local file operation on the state file; a failure (no such folder, no permission) is an
 * input error naming the file, never mistaken for an AWS failure.
 */
function localFile<T>(path: string, what: 'create' | 'read' | 'write', run: () => T): T {
  try {
    return run();
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    throw new InputError(
      '--state-file',
      `cannot ${what} ${path} (${code}${code === 'ENOENT' ? ': its folder does not exist' : ''})`,
      'pass a path in an existing folder you can write to, e.g. --state-file ./restore-state.jsonl',
    );
  }
}

/**
 * What a state file belongs to (its first line): a rerun must be the same run, field by field,
 * e.g. `{ bucket, prefix, toTime }` for a roll-back.
 */
export type RunIdentity = Readonly<Record<string, string>>;

/** The kind of run a state file records, for the refusal of another run's file. */
export interface RunKind {
  /** e.g. `roll-back`. */
  readonly name: string;
  /** The options that make two runs the same, e.g. `--prefix and --to-time`. */
  readonly sameOptions: string;
}

const ROLL_BACK: RunKind = { name: 'roll-back', sameOptions: '--prefix and --to-time' };

function sameRun(a: RunIdentity, b: RunIdentity): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * The resumable record of a run that changes keys one by one (`restore-files --apply`,
 * `failback-files --apply`): a JSON-lines file whose first line is the run's identity and each
 * further line a key that is done. A line is appended right after each key's change succeeds, so
 * a crash loses at most the key in flight, and that key is safe to redo (copying the same
 * version again converges).
 */
export class RestoreStateFile {
  private readonly done = new Set<string>();

  private constructor(
    readonly path: string,
    /** The file was there when opened (false: a new record, or none in a dry run). */
    readonly existed: boolean,
  ) {}

  /** Read an existing state file (refusing another run's), or create it when `create`. */
  static open(
    path: string,
    run: RunIdentity,
    create: boolean,
    kind: RunKind = ROLL_BACK,
  ): RestoreStateFile {
    const existed = existsSync(path);
    const file = new RestoreStateFile(path, existed);
    if (!existed) {
      if (create)
        localFile(path, 'create', () => writeFileSync(path, `${JSON.stringify({ run })}\n`));
      return file;
    }
    const lines = localFile(path, 'read', () => readFileSync(path, 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '');
    let header: { run?: RunIdentity } = {};
    try {
      header = JSON.parse(lines[0] ?? '{}') as { run?: RunIdentity };
    } catch {
      // reported below
    }
    const h = header.run;
    if (!h || typeof h !== 'object' || !sameRun(h, run)) {
      const described = h
        ? Object.entries(h)
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(', ')
        : 'unreadable header';
      throw new InputError(
        '--state-file',
        `${path} belongs to another ${kind.name} (${described})`,
        `pass a new --state-file path for this ${kind.name}, or rerun with the same ${kind.sameOptions}`,
      );
    }
    for (const line of lines.slice(1)) {
      try {
        const entry = JSON.parse(line) as { key?: string };
        if (entry.key !== undefined) file.done.add(entry.key);
      } catch {
        // a line cut short by a crash: that key is simply redone
      }
    }
    return file;
  }

  has(key: string): boolean {
    return this.done.has(key);
  }

  get size(): number {
    return this.done.size;
  }

  /** Append a done key (a file that cannot be written is an input error naming it). */
  record(key: string, action: string, versionId?: string): void {
    const line = `${JSON.stringify({ key, action, versionId, at: new Date().toISOString() })}\n`;
    localFile(this.path, 'write', () => appendFileSync(this.path, line));
    this.done.add(key);
  }
}
