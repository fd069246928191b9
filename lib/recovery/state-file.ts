import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError } from './errors';

/**
 * Runs a local file operation on the state file; a failure (no such folder, no permission) is an
 * input error naming the file, never mistaken for an AWS failure.
 */
function localFile<T>(path: string, what: 'create' | 'read', run: () => T): T {
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

/** What a state file belongs to: a rerun must be the same roll-back. */
export interface RunIdentity {
  readonly bucket: string;
  readonly prefix: string;
  readonly toTime: string;
}

/**
 * The resumable record of a `restore-files --apply` run: a JSON-lines file whose first line is
 * the run's identity and each further line a key that is done (restored or already correct).
 * A line is appended right after each key's change succeeds, so a crash loses at most the key in
 * flight, and that key is safe to redo (copying the same version again converges).
 */
export class RestoreStateFile {
  private readonly done = new Set<string>();

  private constructor(readonly path: string) {}

  /** Read an existing state file (refusing another run's), or create it when `create`. */
  static open(path: string, run: RunIdentity, create: boolean): RestoreStateFile {
    const file = new RestoreStateFile(path);
    if (!existsSync(path)) {
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
    if (!h || h.bucket !== run.bucket || h.prefix !== run.prefix || h.toTime !== run.toTime) {
      throw new InputError(
        '--state-file',
        `${path} belongs to another roll-back (${h ? `bucket ${h.bucket}, prefix ${h.prefix}, time ${h.toTime}` : 'unreadable header'})`,
        'pass a new --state-file path for this roll-back, or rerun with the same --prefix and --to-time',
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

  /** Append a done key. */
  record(key: string, action: string, versionId?: string): void {
    appendFileSync(
      this.path,
      `${JSON.stringify({ key, action, versionId, at: new Date().toISOString() })}\n`,
    );
    this.done.add(key);
  }
}
