import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintTemplates } from '../support/cfn-lint';
import { synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';

/**
 * cfn-lint over every synthesized template: no errors; warnings only of the classes listed, each
 * with its reason, in cfn-lint-accepted.json. Findings are cached per template content (a changed
 * template is linted again), and usually linted in the background by Jest's global setup.
 */
const accepted = JSON.parse(
  readFileSync(join(__dirname, 'cfn-lint-accepted.json'), 'utf8'),
) as Record<string, string>;

test('cfn-lint finds no error and no unaccepted warning in any template', () => {
  const dir = synthesizeDefaultPlatform().dir;
  expect(Object.keys(templates(dir)).length).toBeGreaterThan(0);

  const unaccepted = lintTemplates(dir)
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
