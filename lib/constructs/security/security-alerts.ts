import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ChangeAlert } from './change-alert-patterns';
import {
  REGIONAL_CHANGE_ALERTS,
  breakGlassPattern,
  changePattern,
  nonCompliantPattern,
} from './change-alert-patterns';

export interface SecurityAlertsProps {
  /** The on-call topic of the region. */
  readonly topic: sns.ITopic;
  /** Name of the break-glass role: every AssumeRole of it pages on-call. */
  readonly breakGlassRoleName: string;
  /**
   * Prefix of the names of the platform's AWS Config rules: their NON_COMPLIANT results page
   * on-call.
   * @default no rule for AWS Config results
   */
  readonly configRuleNamePrefix?: string;
}

const SIGN_IN = { source: ['aws.signin'], detailType: ['AWS Console Sign In via CloudTrail'] };

/** The events that page on-call, by rule id. */
export const SECURITY_ALERT_PATTERNS: Record<string, events.EventPattern> = {
  GuardDutyHighSeverity: {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Finding'],
    detail: { severity: [{ numeric: ['>=', 7] }] },
  },
  SecurityHubHighCritical: {
    source: ['aws.securityhub'],
    detailType: ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        Severity: { Label: ['HIGH', 'CRITICAL'] },
        Workflow: { Status: ['NEW'] },
        RecordState: ['ACTIVE'],
      },
    },
  },
  RootSignIn: {
    ...SIGN_IN,
    detail: { eventName: ['ConsoleLogin'], userIdentity: { type: ['Root'] } },
  },
  // Federated (assumed-role) sign-ins always report MFAUsed "No": their MFA happens at the
  // identity provider, so only IAM users and root are matched.
  SignInWithoutMfa: {
    ...SIGN_IN,
    detail: {
      eventName: ['ConsoleLogin'],
      additionalEventData: { MFAUsed: ['No'] },
      userIdentity: { type: ['IAMUser', 'Root'] },
    },
  },
};

const field = (path: string) => events.EventField.fromPath(path);
const WHO_WHERE_WHEN =
  `by ${field('$.detail.userIdentity.arn')} from ${field('$.detail.sourceIPAddress')} ` +
  `in account ${field('$.account')}, ${field('$.region')}, at ${field('$.time')}`;

/** The on-call message of a change: what, which call, on which resource, by whom, where, when. */
function changeMessage(alert: ChangeAlert): events.RuleTargetInput {
  return events.RuleTargetInput.fromText(
    `${alert.what}: ${field('$.detail.eventName')} on ` +
      `${field(`$.detail.requestParameters.${alert.resourceParameter}`)} ${WHO_WHERE_WHEN} ` +
      `(error: ${field('$.detail.errorCode')})`,
  );
}

/**
 * EventBridge rules on the default bus of one region that send to the on-call topic: GuardDuty
 * findings of severity 7 or more, new active Security Hub findings labelled HIGH or CRITICAL,
 * root sign-ins and console sign-ins without MFA; changes to keys, the trail, bucket protection,
 * security groups, network ACLs and AWS Backup (`REGIONAL_CHANGE_ALERTS`, each with a message
 * naming the call, the resource and the caller); AssumeRole of the break-glass role; and
 * NON_COMPLIANT results of the platform's AWS Config rules.
 *
 * IAM changes, and break-glass use through the global STS endpoint, reach EventBridge in
 * us-east-1 only: `GlobalChangeAlarms` covers them from the trail's log group.
 *
 * Sign-in events arrive in the region of the sign-in endpoint; sign-ins through the global
 * endpoint (and root sign-ins) arrive in us-east-1, where this platform does not deploy. Those
 * are covered by `SignInAlarms` on the multi-region trail's log group in the primary region.
 */
export class SecurityAlerts extends Construct {
  readonly rules: Record<string, events.Rule>;

  constructor(scope: Construct, id: string, props: SecurityAlertsProps) {
    super(scope, id);
    this.rules = Object.fromEntries(
      Object.entries(SECURITY_ALERT_PATTERNS).map(([name, eventPattern]) => {
        const rule = new events.Rule(this, name, {
          description: `Sends ${name} events to on-call`,
          eventPattern,
          targets: [new targets.SnsTopic(props.topic)],
        });
        return [name, rule];
      }),
    );
    const rule = (
      name: string,
      eventPattern: events.EventPattern,
      message: events.RuleTargetInput,
    ) =>
      (this.rules[name] = new events.Rule(this, name, {
        description: `Sends ${name} events to on-call`,
        eventPattern,
        targets: [new targets.SnsTopic(props.topic, { message })],
      }));
    for (const [name, alert] of Object.entries(REGIONAL_CHANGE_ALERTS)) {
      rule(name, changePattern(alert), changeMessage(alert));
    }
    const breakGlass = rule(
      'BreakGlassUse',
      breakGlassPattern(props.breakGlassRoleName),
      events.RuleTargetInput.fromText(
        `Break-glass role assumed: ${field('$.detail.requestParameters.roleArn')} ` +
          `${WHO_WHERE_WHEN} (error: ${field('$.detail.errorCode')})`,
      ),
    );
    // AssumeRole is a read-only management event: a plain ENABLED rule never sees it.
    (breakGlass.node.defaultChild as events.CfnRule).state =
      'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
    if (props.configRuleNamePrefix) {
      rule(
        'ConfigNonCompliant',
        nonCompliantPattern(props.configRuleNamePrefix),
        events.RuleTargetInput.fromText(
          `AWS Config rule ${field('$.detail.configRuleName')}: ${field('$.detail.resourceType')} ` +
            `${field('$.detail.resourceId')} is NON_COMPLIANT ` +
            `(account ${field('$.account')}, ${field('$.region')}, ${field('$.time')})`,
        ),
      );
    }
  }
}
