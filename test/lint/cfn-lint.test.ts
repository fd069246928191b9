import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeDefaultPlatform } from '../support/cloud-assembly';

/**
 * cfn-lint over every synthesized template: no errors; warnings only of the classes listed, each
 * with its reason, in cfn-lint-accepted.json.
 */
const INSTALL = 'pip install cfn-lint';
const accepted = JSON.parse(
  readFileSync(join(__dirname, 'cfn-lint-accepted.json'), 'utf8'),
) as Record<string, string>;

interface Finding {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Filename: string;
}

test('cfn-lint finds no error and no unaccepted warning in any template', () => {
  const dir = synthesizeDefaultPlatform().dir;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => join(dir, f));
  expect(files.length).toBeGreaterThan(0);

  const run = spawnSync('cfn-lint', ['--format', 'json', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw new Error(`cfn-lint is not installed. Install it with: ${INSTALL}`);
  const findings = JSON.parse(run.stdout || '[]') as Finding[];
  const unaccepted = findings
    .filter((f) => f.Level === 'Error' || !accepted[f.Rule.Id])
    .map((f) => `${f.Level} ${f.Rule.Id} ${f.Filename}: ${f.Message}`);
  expect(unaccepted).toEqual([]);
});

test('every accepted warning class has a reason', () => {
  for (const [id, reason] of Object.entries(accepted)) {
    expect(id).toMatch(/^[WI]\d{4}$/);
    expect(reason.length).toBeGreaterThan(40);
  }
});
