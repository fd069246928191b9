import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface SecurityAlertsProps {
  /** The on-call topic of the region. */
  readonly topic: sns.ITopic;
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

/**
 * EventBridge rules on the default bus of one region that send to the on-call topic: GuardDuty
 * findings of severity 7 or more, new active Security Hub findings labelled HIGH or CRITICAL,
 * root sign-ins and console sign-ins without MFA.
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
  }
}
