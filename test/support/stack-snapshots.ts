import { stackJson } from './default-platform';

/**
 * Which stacks of the default platform are snapshotted: production (both regions) and, for a
 * component whose stacks differ in structure elsewhere, one stack of that structure (dev: one NAT
 * gateway, a regional cluster, no replication). test/stacks/snapshot-coverage.test.ts fails when
 * a stack not listed here has a structure that no listed stack of its component has.
 */
export const SNAPSHOTTED: Record<string, readonly string[]> = {
  Network: ['prod-apse2', 'prod-apse4', 'dev-apse2'],
  Security: ['prod-apse2', 'prod-apse4', 'dev-apse2'],
  Data: ['prod-apse2', 'prod-apse4', 'dev-apse2'],
  Storage: ['prod-apse2', 'prod-apse4', 'dev-apse2'],
  Backup: ['prod-apse2', 'prod-apse4'],
  Ingress: ['prod-apse2', 'prod-apse4'],
  Lifecycle: ['prod-apse2', 'prod-apse4', 'dev-apse2'],
  Compute: ['prod-apse2', 'prod-apse4', 'dev-apse2'],
  Monitoring: ['prod-apse2', 'prod-apse4'],
};

/** A template without the CDK analytics metadata (asset hashes: the snapshot serializer). */
export function snapshotOf(id: string): Record<string, unknown> {
  const template = structuredClone(stackJson(id)) as {
    Resources?: Record<string, unknown>;
    Conditions?: Record<string, unknown>;
  };
  delete template.Resources?.CDKMetadata;
  delete template.Conditions?.CDKMetadataAvailable;
  return template;
}

/** One snapshot test per listed stack of a component, for that component's stack test file. */
export function snapshotTests(component: string): void {
  test.each(SNAPSHOTTED[component].map((prefix) => `${prefix}-${component}`))(
    '%s matches its snapshot',
    (id) => {
      expect(snapshotOf(id)).toMatchSnapshot();
    },
  );
}
