import { stackDependencies, stackJson } from '../support/default-platform';
import { snapshotTests } from '../support/stack-snapshots';

const COMPONENTS = [
  'Security',
  'Network',
  'Data',
  'Storage',
  'Backup',
  'Ingress',
  'Lifecycle',
  'Compute',
];

test('the Monitoring stack deploys after every other stack of its region', () => {
  expect(stackDependencies('prod-apse2-Monitoring').sort()).toEqual(
    COMPONENTS.map((c) => `prod-apse2-${c}`).sort(),
  );
  // The secondary region of prod has a Data stack (global database); dev's only region too.
  expect(stackDependencies('prod-apse4-Monitoring')).toContain('prod-apse4-Data');
});

test('the dashboard is named per environment and region and refers to nothing in another region', () => {
  const template = stackJson('prod-apse4-Monitoring') as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const [dashboard] = Object.values(template.Resources).filter(
    (r) => r.Type === 'AWS::CloudWatch::Dashboard',
  );
  expect(dashboard.Properties.DashboardName).toBe('logi-prod-ap-southeast-4-on-call');
  const body = JSON.stringify(dashboard.Properties.DashboardBody);
  expect(body).not.toContain('ap-southeast-2');
  for (const section of [
    'Services',
    'Load balancer',
    'WAF',
    'Admin API',
    'Database',
    'Functions',
    'Backups and restore tests',
  ]) {
    expect(body).toContain(`## ${section}`);
  }
});

snapshotTests('Monitoring');
