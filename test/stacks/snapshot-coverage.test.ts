import { synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';
import { SNAPSHOTTED } from '../support/stack-snapshots';

/**
 * Snapshots cover production and, per component, every other structure: a stack that is not
 * snapshotted must have the resource types (and counts) of one that is.
 */
const all = templates(synthesizeDefaultPlatform().dir);

function structure(id: string): string {
  const resources = (all[id] as { Resources: Record<string, { Type: string }> }).Resources;
  const types = Object.values(resources)
    .map((r) => r.Type)
    .filter((type) => type !== 'AWS::CDK::Metadata')
    .sort();
  return types.join('\n');
}

test('every component has snapshotted stacks, and they exist', () => {
  const components = new Set(Object.keys(all).map((id) => id.split('-')[2]));
  expect([...components].sort()).toEqual(Object.keys(SNAPSHOTTED).sort());
  for (const [component, prefixes] of Object.entries(SNAPSHOTTED)) {
    for (const prefix of prefixes) expect(Object.keys(all)).toContain(`${prefix}-${component}`);
  }
});

test.each(Object.keys(all))('%s has the structure of a snapshotted stack', (id) => {
  const component = id.split('-')[2];
  const snapshotted = SNAPSHOTTED[component].map((prefix) => `${prefix}-${component}`);
  expect(snapshotted.map(structure)).toContain(structure(id));
});
