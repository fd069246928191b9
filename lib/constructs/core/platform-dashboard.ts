import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { RUNBOOK_LINK } from './runbooks';

/** A dashboard section: its title and the runbook anchors of the alarms it shows. */
export interface DashboardSection {
  readonly title: string;
  readonly anchors: readonly string[];
  /**
   * Show the section's alarms as one status list rather than a graph each (sections with many
   * alarms of one kind, such as every function's errors and throttles).
   * @default false
   */
  readonly statusOnly?: boolean;
}

/** The sections, in the order on-call reads them: from what users see down to what backs it. */
export const DASHBOARD_SECTIONS: readonly DashboardSection[] = [
  { title: 'Public endpoints (canaries)', anchors: ['endpoint-canaries'] },
  { title: 'Services', anchors: ['unhealthy-targets'] },
  { title: 'Load balancer', anchors: ['load-balancer-5xx', 'load-balancer-latency'] },
  { title: 'WAF', anchors: ['waf-blocked-requests'] },
  { title: 'Admin API', anchors: ['admin-api-5xx', 'admin-api-latency'] },
  {
    title: 'Database (incl. global replication lag)',
    anchors: [
      'database-cpu',
      'database-freeable-memory',
      'database-connections',
      'global-replication-lag',
    ],
  },
  { title: 'File and archive replication', anchors: ['file-replication'] },
  {
    title: 'Queues and dead-letter queues (lifecycle)',
    anchors: [
      'queue-age',
      'dead-letter-queues',
      'lifecycle-sweep-missed',
      'lifecycle-tenants-failed',
    ],
  },
  { title: 'Functions', anchors: ['function-errors', 'function-throttles'], statusOnly: true },
  { title: 'Backups and restore tests', anchors: ['backup-job-failures', 'how-to-read-it'] },
  { title: 'Security', anchors: ['security-sign-in-and-change-alarms'] },
];

/** An alarm as the dashboard sees it: where it lives and what its description links to. */
export interface DashboardAlarm {
  readonly alarm: cloudwatch.Alarm;
  /** The alarm's name when it is a literal (then it is addressed by ARN, no cross-stack export). */
  readonly name?: string;
  readonly anchor: string;
}

/** Read an alarm's name and runbook anchor from its L1 (the test checks every alarm has one). */
export function dashboardAlarm(alarm: cloudwatch.Alarm): DashboardAlarm {
  const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  const description = cfn.alarmDescription ?? '';
  const anchor = RUNBOOK_LINK.exec(description)?.[2];
  if (!anchor) {
    throw new Error(
      `${alarm.node.path}: the alarm's description has no runbook link; make it with onCallAlarm ` +
        'or end its description with withRunbook(...)',
    );
  }
  const name = cfn.alarmName && !Token.isUnresolved(cfn.alarmName) ? cfn.alarmName : undefined;
  return { alarm, name, anchor };
}

export interface PlatformDashboardProps {
  readonly dashboardName: string;
  /** Shown at the top: environment, region, where the runbooks are. */
  readonly heading: string;
  /** Every alarm of the environment and region. */
  readonly alarms: readonly cloudwatch.Alarm[];
}

/**
 * The on-call dashboard of one environment and region, built from its alarms: an alarm status
 * list of all of them at the top, then a section per failure area (`DASHBOARD_SECTIONS`) with a
 * graph of each alarm's metric against its threshold. Alarms with a literal name are addressed by
 * their ARN, so the dashboard's stack needs no export from the alarm's; the others are referenced
 * (same environment and region, never across regions). An alarm whose runbook anchor belongs to no
 * section is an error, so a new kind of alarm cannot be left off the dashboard.
 */
export class PlatformDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** The alarms shown, per section title. */
  readonly sections: ReadonlyMap<string, readonly DashboardAlarm[]>;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const entries = props.alarms.map(dashboardAlarm);
    const sections = new Map<string, DashboardAlarm[]>();
    for (const entry of entries) {
      const section = DASHBOARD_SECTIONS.find((s) => s.anchors.includes(entry.anchor));
      if (!section) {
        throw new Error(
          `${entry.alarm.node.path}: runbook anchor "${entry.anchor}" is in no dashboard section; ` +
            'add it to DASHBOARD_SECTIONS (lib/constructs/core/platform-dashboard.ts)',
        );
      }
      sections.set(section.title, [...(sections.get(section.title) ?? []), entry]);
    }
    this.sections = sections;

    const here = (entry: DashboardAlarm, i: number): cloudwatch.IAlarm =>
      entry.name
        ? cloudwatch.Alarm.fromAlarmArn(
            this,
            `Alarm${i}`,
            Stack.of(this).formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: entry.name,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          )
        : entry.alarm;
    const imported = new Map(entries.map((e, i) => [e, here(e, i)]));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: props.heading, width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: `All ${entries.length} alarms`,
        alarms: entries.map((e) => imported.get(e)!),
        width: 24,
        height: Math.min(12, 2 + Math.ceil(entries.length / 4)),
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
      }),
    );
    for (const section of DASHBOARD_SECTIONS) {
      const shown = sections.get(section.title);
      if (!shown) continue;
      this.dashboard.addWidgets(
        new cloudwatch.TextWidget({ markdown: `## ${section.title}`, width: 24, height: 1 }),
      );
      if (section.statusOnly) {
        this.dashboard.addWidgets(
          new cloudwatch.AlarmStatusWidget({
            title: section.title,
            alarms: shown.map((e) => imported.get(e)!),
            width: 24,
            height: Math.min(12, 2 + Math.ceil(shown.length / 4)),
          }),
        );
        continue;
      }
      this.dashboard.addWidgets(
        ...shown.map(
          (e) =>
            new cloudwatch.AlarmWidget({
              title: e.name ?? e.alarm.node.path.split('/').slice(1).join('/'),
              alarm: imported.get(e)!,
              width: 8,
              height: 6,
            }),
        ),
      );
    }
  }
}
