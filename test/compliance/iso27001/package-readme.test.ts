import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANNEX_A_CONTROLS } from '@logistics-platform/cdk-iso27001';

test("the package README's control table lists every checked control with exactly its rules", () => {
  const readme = readFileSync(
    join(__dirname, '..', '..', '..', 'packages', 'cdk-iso27001', 'README.md'),
    'utf8',
  );
  const rows = new Map(
    [...readme.matchAll(/^\| (A\.\d+\.\d+) +\| ([^|]+)\| ([^|]+)\|$/gm)].map((m) => [
      m[1],
      { title: m[2].trim(), rules: [...m[3].matchAll(/`([^`]+)`/g)].map((r) => r[1]).sort() },
    ]),
  );
  const checked = ANNEX_A_CONTROLS.filter((c) => c.rules.length > 0);
  expect(checked.length).toBeGreaterThan(15);
  expect(Object.fromEntries(rows)).toEqual(
    Object.fromEntries(checked.map((c) => [c.id, { title: c.title, rules: [...c.rules].sort() }])),
  );
});
