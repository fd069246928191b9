import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { PlatformDashboard } from '../constructs/core/platform-dashboard';
import { alarmsOf } from './on-call-alarms';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';

export interface MonitoringStackProps extends PlatformStackProps {
  /** Every other stack of the environment and region; their alarms make up the dashboard. */
  readonly stacks: readonly PlatformStack[];
}

/**
 * What on-call looks at for one environment and region: the dashboard
 * `<app>-<env>-<region>-on-call` of every alarm of the region's stacks (see PlatformDashboard).
 * Deployed after them, so that every alarm it shows exists.
 */
export class MonitoringStack extends PlatformStack {
  readonly dashboard: PlatformDashboard;

  constructor(scope: Construct, props: MonitoringStackProps) {
    super(scope, 'Monitoring', {
      ...props,
      description: `On-call dashboard of ${props.target.envName} in ${props.target.region}`,
      // Stack tags (CloudFormation puts them on the dashboard at deploy): the dashboard's own
      // Tags are removed below, and the compliance checks tell a stack's environment by them.
      tags: {
        ...props.tags,
        Application: props.config.app,
        Environment: props.target.envName,
        Owner: props.config.owner,
        DataClassification: props.config.dataClassification,
      },
    });
    const { names, target } = this;
    this.dashboard = new PlatformDashboard(this, 'OnCall', {
      dashboardName: names.physical('on-call'),
      heading:
        `# ${target.envName} in ${target.region} (${target.role})\n` +
        'Every alarm of this environment and region; each alarm links its runbook section ' +
        '(docs/runbooks/alarms.md). Failover: docs/runbooks/regional-failover.md.',
      alarms: props.stacks.flatMap(alarmsOf),
    });
    // cfn-lint (1.51) does not know Tags on AWS::CloudWatch::Dashboard and fails the template
    // (E3002); the stack tags above tag it at deploy instead.
    (
      this.dashboard.dashboard.node.defaultChild as cloudwatch.CfnDashboard
    ).addPropertyDeletionOverride('Tags');
    for (const stack of props.stacks) this.addStackDependency(stack, 'its alarms are shown');
  }
}
