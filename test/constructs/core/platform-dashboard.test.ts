import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { onCallAlarm } from '../../../lib/constructs/core/on-call-alarm';
import {
  DASHBOARD_SECTIONS,
  PlatformDashboard,
} from '../../../lib/constructs/core/platform-dashboard';
import type { Runbook } from '../../../lib/constructs/core/runbooks';
import { RUNBOOKS, withRunbook } from '../../../lib/constructs/core/runbooks';
import { testApp } from '../../support/app';
import { TEST_ACCOUNT, TEST_REGION } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const env = { account: TEST_ACCOUNT, region: TEST_REGION };
const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'M' });

/** The alarms of one environment and region live in their components' stacks, as on the platform. */
const app = testApp();
const ingress = new Stack(app, 'Ingress', { env });
const monitoring = new Stack(app, 'Monitoring', { env });
const named = (scope: Construct, name: string, runbook: Runbook) =>
  onCallAlarm(
    scope,
    name,
    { topic: new sns.Topic(scope, `${name}Topic`), namePrefix: 'p' },
    {
      name,
      summary: name,
      runbook,
      metric,
      threshold: 1,
    },
  );
const alb5xx = named(ingress, 'alb-5xx-rate', RUNBOOKS.loadBalancerErrors);
const waf = named(ingress, 'waf-blocked-spike', RUNBOOKS.wafBlocked);
const errors = named(ingress, 'admin-deactivate-errors', RUNBOOKS.functionErrors);
const throttles = named(ingress, 'admin-deactivate-throttles', RUNBOOKS.functionThrottles);
// No literal name (CloudFormation names it): referenced, in the dashboard's own stack.
const unnamed = new cloudwatch.Alarm(monitoring, 'Unnamed', {
  alarmDescription: withRunbook('canary failing', RUNBOOKS.endpointCanaries),
  metric,
  threshold: 1,
  evaluationPeriods: 1,
});
const dashboard = new PlatformDashboard(monitoring, 'OnCall', {
  dashboardName: 'logi-prod-ap-southeast-2-on-call',
  heading: '# prod in ap-southeast-2',
  // Not in section order: the dashboard orders them.
  alarms: [throttles, alb5xx, unnamed, errors, waf],
});
const templates = {
  ingress: Template.fromStack(ingress),
  monitoring: Template.fromStack(monitoring),
};
const [dashboardResource] = Object.values(
  templates.monitoring.findResources('AWS::CloudWatch::Dashboard'),
) as Json[];

/** The dashboard body as CloudWatch receives it, with references written `<Ref:id>` / `<id.Attr>`. */
function body(): { widgets: Json[] } {
  const source = dashboardResource.Properties.DashboardBody as Json;
  const parts = (source['Fn::Join']?.[1] ?? [source]) as unknown[];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const p = part as Json;
      if (p.Ref === 'AWS::Partition') return 'aws';
      if (p.Ref) return `<Ref:${p.Ref}>`;
      if (p['Fn::GetAtt']) return `<${p['Fn::GetAtt'].join('.')}>`;
      const output = p['Fn::GetStackOutput'] ?? p['Fn::ImportValue'];
      if (output) return `<output:${JSON.stringify(output).replace(/"/g, "'")}>`;
      throw new Error(`unexpected part ${JSON.stringify(part)}`);
    })
    .join('');
  return JSON.parse(text);
}
const widgets = body().widgets;
const arn = (name: string) => `arn:aws:cloudwatch:${TEST_REGION}:${TEST_ACCOUNT}:alarm:p-${name}`;
const UNNAMED = `<${monitoring.getLogicalId(unnamed.node.defaultChild as cloudwatch.CfnAlarm)}.Arn>`;
const ALL = [
  arn('alb-5xx-rate'),
  arn('waf-blocked-spike'),
  arn('admin-deactivate-errors'),
  arn('admin-deactivate-throttles'),
  UNNAMED,
];
const texts = () =>
  widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown as string);
/** What each widget shows, in reading order (top to bottom). */
const layout = () =>
  [...widgets]
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .map((w) =>
      w.type === 'text'
        ? `text ${w.properties.markdown}`
        : w.properties.annotations?.alarms
          ? `graph ${w.properties.annotations.alarms.join(' ')}`
          : `status ${[...w.properties.alarms].sort().join(' ')}`,
    );

test('the named dashboard of the environment and region', () => {
  expect(dashboardResource.Properties.DashboardName).toBe('logi-prod-ap-southeast-2-on-call');
});

test('the heading first, then the status of every alarm, whatever its section', () => {
  const [heading, all] = layout();
  expect(heading).toBe('text # prod in ap-southeast-2');
  expect(all).toBe(`status ${[...ALL].sort().join(' ')}`);
  const status = widgets.find((w) => w.properties.title === 'All 5 alarms');
  expect(status?.properties.alarms).toHaveLength(5);
});

test('then a section per area in on-call order, each alarm a graph under its heading', () => {
  expect(layout().slice(2)).toEqual([
    'text ## Public endpoints (canaries)',
    `graph ${UNNAMED}`,
    'text ## Load balancer',
    `graph ${arn('alb-5xx-rate')}`,
    'text ## WAF',
    `graph ${arn('waf-blocked-spike')}`,
    'text ## Functions',
    `status ${[arn('admin-deactivate-errors'), arn('admin-deactivate-throttles')].sort().join(' ')}`,
  ]);
});

test('sections without alarms are left out', () => {
  const shown = texts().filter((t) => t.startsWith('## '));
  expect(shown).toHaveLength(4);
  expect(shown).not.toContain('## Database (incl. global replication lag)');
});

test('the sections the construct reports are the ones drawn', () => {
  expect(
    Object.fromEntries(
      [...dashboard.sections].map(([title, shown]) => [title, shown.map((s) => s.alarm)]),
    ),
  ).toEqual({
    'Public endpoints (canaries)': [unnamed],
    'Load balancer': [alb5xx],
    WAF: [waf],
    Functions: [throttles, errors],
  });
});

test("named alarms of another stack are addressed by ARN: no export from the alarm's stack", () => {
  expect(templates.ingress.toJSON().Outputs).toBeUndefined();
  const dashboardTemplate = JSON.stringify(templates.monitoring.toJSON());
  expect(dashboardTemplate).not.toContain('Fn::ImportValue');
  expect(dashboardTemplate).not.toContain('Fn::GetStackOutput');
  expect(monitoring.dependencies).not.toContain(ingress);
});

test("an alarm without a literal name is referenced in the dashboard's own stack", () => {
  const status = widgets.find((w) => w.properties.title === 'All 5 alarms');
  expect(status?.properties.alarms).toContain(UNNAMED);
});

test('an alarm whose runbook anchor is in no section fails the synth, naming the anchor', () => {
  const stack = new Stack(testApp(), 'Lonely', { env });
  const lost = new cloudwatch.Alarm(stack, 'Lost', {
    alarmDescription: withRunbook('lost', { file: 'alarms.md', anchor: 'nowhere' }),
    metric,
    threshold: 1,
    evaluationPeriods: 1,
  });
  expect(
    () =>
      new PlatformDashboard(stack, 'OnCall', { dashboardName: 'd', heading: 'h', alarms: [lost] }),
  ).toThrow(/runbook anchor "nowhere" is in no dashboard section/);
});

test('an alarm without a runbook link fails the synth', () => {
  const stack = new Stack(testApp(), 'Unlinked', { env });
  const unlinked = new cloudwatch.Alarm(stack, 'Unlinked', {
    alarmDescription: 'no link',
    metric,
    threshold: 1,
    evaluationPeriods: 1,
  });
  expect(
    () =>
      new PlatformDashboard(stack, 'OnCall', {
        dashboardName: 'd',
        heading: 'h',
        alarms: [unlinked],
      }),
  ).toThrow(/Unlinked: the alarm's description has no runbook link/);
});

test('every runbook section an alarm can link belongs to exactly one dashboard section', () => {
  for (const { anchor } of Object.values(RUNBOOKS)) {
    const sections = DASHBOARD_SECTIONS.filter((s) => s.anchors.includes(anchor));
    expect({ anchor, sections: sections.length }).toEqual({ anchor, sections: 1 });
  }
});
