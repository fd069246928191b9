import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../../bin/restore';
import { fakeRuntime } from './fakes';

/** The runbooks must use the CLI's real commands and flags. */
const DIR = join(__dirname, '../../docs/runbooks');
const program = buildProgram(fakeRuntime(), async () => undefined);
const runbooks = readdirSync(DIR).filter((f) => f.endsWith('.md'));

/** Every `npm run restore -- ...` invocation, with backslash-continued lines joined. */
function invocations(text: string): string[] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  return [...joined.matchAll(/npm run restore -- ([^`\n#|]+)/g)].map((m) => m[1].trim());
}

test('there is one runbook per scenario, and the README lists them all', () => {
  expect(runbooks.sort()).toEqual([
    'README.md',
    'alarms.md',
    'ransomware-files.md',
    'regional-failover.md',
    'restore-aurora-point-in-time.md',
    'restore-aurora-recovery-point.md',
    'restore-testing-results.md',
  ]);
  const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
  for (const file of runbooks.filter((f) => f !== 'README.md'))
    expect(readme).toContain(`(${file})`);
});

test.each(runbooks.filter((f) => f !== 'README.md'))(
  '%s has every section and real commands and flags',
  (file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    for (const section of [
      '## When to use it',
      '## Preconditions',
      '## Verify',
      '## Undo',
      '## RPO and RTO',
    ]) {
      expect(text).toContain(section);
    }
    expect(invocations(text).length).toBeGreaterThan(0);
    for (const line of invocations(text)) {
      const [name, ...words] = line.split(/\s+/);
      if (name === '--help' || name === '<command>') continue;
      const command = program.commands.find((c) => c.name() === name);
      expect({ line, known: Boolean(command) }).toEqual({ line, known: true });
      const flags = new Set(command?.options.map((o) => o.long));
      for (const flag of words.filter((w) => w.startsWith('--'))) {
        expect({ line, flag, known: flags.has(flag) }).toEqual({ line, flag, known: true });
      }
    }
  },
);

test('the README names every command and flag of the CLI', () => {
  const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
  for (const command of program.commands) {
    expect(readme).toContain(`\`${command.name()} `);
    for (const option of command.options) expect(readme).toContain(option.long as string);
  }
});
