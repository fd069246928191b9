import { RUNBOOK_LINK } from '../../lib/constructs/core/runbooks';
import { synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';
import { runbookAnchors } from '../support/runbooks';

/**
 * Every alarm of every synthesized template of the default platform reaches on-call and says
 * where its runbook is, and every environment and region has a dashboard showing all its alarms.
 */
type Resource = { Type: string; Properties: Record<string, unknown> };
const all = templates(synthesizeDefaultPlatform().dir) as Record<
  string,
  { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> }
>;

const alarms = Object.entries(all).flatMap(([stack, template]) =>
  Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .map(([logicalId, r]) => ({ stack, logicalId, properties: r.Properties })),
);

/** `prod-apse2` of `prod-apse2-Data`. */
const regionOf = (stack: string) => stack.split('-').slice(0, 2).join('-');

test('the platform has alarms in every environment and region', () => {
  const regions = new Set(Object.keys(all).map(regionOf));
  expect([...regions].sort()).toEqual([
    'dev-apse2',
    'prod-apse2',
    'prod-apse4',
    'test-apse2',
    'test-apse4',
  ]);
  for (const region of regions) {
    expect(alarms.filter((a) => regionOf(a.stack) === region).length).toBeGreaterThan(10);
  }
});

/** What an alarm action points at: an SNS topic of the same template, or the Security stack's. */
function topicOf(stack: string, action: unknown): string {
  const template = all[stack];
  const ref = (action as { Ref?: string }).Ref;
  if (ref) {
    expect(template.Resources[ref]?.Type).toBe('AWS::SNS::Topic');
    return `${stack}/${ref}`;
  }
  const output = (action as { 'Fn::GetStackOutput'?: { StackName: string; OutputName: string } })[
    'Fn::GetStackOutput'
  ];
  if (!output) throw new Error(`${stack}: alarm action ${JSON.stringify(action)} is no topic`);
  expect(output.StackName).toBe(`${regionOf(stack)}-Security`);
  const value = all[output.StackName].Outputs?.[output.OutputName]?.Value as { Ref?: string };
  expect(all[output.StackName].Resources[value?.Ref ?? '']?.Type).toBe('AWS::SNS::Topic');
  return `${output.StackName}/${value.Ref}`;
}

test.each(alarms.map((a) => [`${a.stack}/${a.logicalId}`, a]))(
  '%s notifies an on-call topic of its region and links a runbook section that exists',
  (_, alarm) => {
    const actions = alarm.properties.AlarmActions as unknown[] | undefined;
    expect(actions?.length).toBeGreaterThan(0);
    for (const action of actions!) topicOf(alarm.stack, action);

    const description = alarm.properties.AlarmDescription;
    expect(typeof description).toBe('string');
    const link = RUNBOOK_LINK.exec(description as string);
    expect(link).not.toBeNull();
    const [, file, anchor] = link!;
    const anchors = runbookAnchors(file);
    if (!anchors) throw new Error(`docs/runbooks/${file} does not exist`);
    expect([...anchors]).toContain(anchor);
  },
);

test('alarm names are unique in each account and region', () => {
  const named = alarms
    .map((a) => `${regionOf(a.stack)}:${String(a.properties.AlarmName ?? a.logicalId)}`)
    .sort();
  expect(new Set(named).size).toBe(named.length);
});

describe('dashboards', () => {
  const regions = [...new Set(Object.keys(all).map(regionOf))];

  test.each(regions)('%s has one dashboard, showing every alarm of its region', (region) => {
    const monitoring = all[`${region}-Monitoring`];
    expect(monitoring).toBeDefined();
    const dashboards = Object.values(monitoring.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Dashboard',
    );
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0].Properties.DashboardBody);
    const own = alarms.filter((a) => regionOf(a.stack) === region);
    for (const alarm of own) {
      const name = alarm.properties.AlarmName;
      if (typeof name === 'string') {
        expect(body).toContain(`:alarm:${name}`);
      } else {
        // Referenced: an output of the alarm's stack holding its Arn.
        const outputs = all[alarm.stack].Outputs ?? {};
        const output = Object.entries(outputs).find(
          ([, o]) =>
            JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [alarm.logicalId, 'Arn'] }),
        );
        expect(output).toBeDefined();
        expect(body).toContain(output![0]);
      }
    }
    expect(body).toContain(`All ${own.length} alarms`);
  });
});

test('database connection thresholds follow the instance class (dev t4g.medium, prod r6g.large)', () => {
  const connections = (stack: string) =>
    alarms.find((a) => a.stack === stack && a.properties.MetricName === 'DatabaseConnections')
      ?.properties.Threshold;
  expect(connections('dev-apse2-Data')).toBe(360);
  expect(connections('prod-apse2-Data')).toBe(1441);
});
