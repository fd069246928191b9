import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cloud-assembly';

export const RUNBOOKS_DIR = join(ROOT, 'docs', 'runbooks');

/** GitHub's anchor of a Markdown heading: lowercase, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a runbook's headings, or undefined when the file does not exist. */
export function runbookAnchors(file: string): Set<string> | undefined {
  const path = join(RUNBOOKS_DIR, file);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set(
    text
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => slug(line.replace(/^#+ /, ''))),
  );
}
