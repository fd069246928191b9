import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__snapshots__' ? [] : files(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the esbuild transform of the tests (test/setup/ts-transform.js)', () => {
  // esbuild writes imports first and jest.mock where it stands, so a factory mock would apply to
  // nothing already imported: such replacements go in jest.config.js moduleNameMapper instead.
  test('no test file relies on jest.mock being hoisted above its imports', () => {
    const offenders = files(join(ROOT, 'test'))
      .filter((path) => path !== __filename)
      .filter((path) => /\bjest\.mock\(/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(ROOT, path));
    expect(offenders).toEqual([]);
  });

  test('stack traces point at the TypeScript line that threw', () => {
    const error = new Error('here'); // line 26 of this file
    expect(error.stack).toMatch(/ts-transform\.test\.ts:26:\d+/);
  });
});
