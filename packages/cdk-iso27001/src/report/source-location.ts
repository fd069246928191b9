import * as path from 'path';
import type { SourceLocation } from './model';

// `at fn (/abs/file.ts:12:3)`, `fn (/abs/file.ts:12:3)` or `at /abs/file.ts:12:3`
const FRAME = /^\s*(?:at\s+)?(?:(.*?)\s+\()?([^()\s]+?):(\d+):(\d+)\)?\s*$/;

interface Frame {
  readonly fn?: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

function parseFrames(trace: string): Frame[] {
  const frames: Frame[] = [];
  for (const text of trace.split('\n')) {
    if (text.trim().startsWith('...')) continue; // library frames folded by aws-cdk-lib
    const match = FRAME.exec(text);
    if (!match) continue;
    frames.push({
      fn: match[1] || undefined,
      file: match[2],
      line: Number(match[3]),
      column: Number(match[4]),
    });
  }
  return frames;
}

function relative(file: string, rootDir: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(rootDir, file);
  return rel.startsWith('..') ? file : rel.split(path.sep).join('/');
}

function isLibraryFrame(frame: Frame): boolean {
  return frame.file.includes('node_modules') || frame.file.startsWith('node:');
}

/**
 * The first frame of a stack trace in the project's own code: library frames are skipped, and so
 * are frames of functions named in `skipFunctions` (wrappers such as an `acknowledge` helper), so
 * the location is where the project made the call.
 */
export function firstProjectFrame(
  traces: readonly string[] | string | undefined,
  rootDir: string,
  skipFunctions: readonly string[] = [],
): SourceLocation | undefined {
  if (!traces) return undefined;
  for (const trace of typeof traces === 'string' ? [traces] : traces) {
    const frames = parseFrames(trace).filter((f) => !isLibraryFrame(f));
    const frame =
      frames.find(
        (f) => !skipFunctions.some((name) => f.fn === name || f.fn?.endsWith(`.${name}`)),
      ) ?? frames[0];
    if (frame)
      return { file: relative(frame.file, rootDir), line: frame.line, column: frame.column };
  }
  return undefined;
}

export function formatSource(source: SourceLocation | undefined): string {
  return source ? `${source.file}:${source.line}` : '';
}
