import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** What an alert is about: each severity has a topic of its own. */
export type AlertSeverity = 'security' | 'operational';

/** One person or system that receives the alerts of some severities. */
export interface AlertSubscription {
  /** `email` (the recipient confirms by e-mail) or `https` (the endpoint confirms the URL). */
  readonly protocol: 'email' | 'https';
  /** The e-mail address or the https URL. */
  readonly endpoint: string;
  /** The severities this subscriber receives. */
  readonly severities: readonly AlertSeverity[];
}

export interface OnCallTopicProps {
  /** Deterministic name of the operational topic, so other stacks and regions address it by ARN. */
  readonly topicName: string;
  /** Deterministic name of the security topic. */
  readonly securityTopicName: string;
  /** Customer-managed key encrypting messages at rest. */
  readonly key: kms.IKey;
  /** Who receives which alerts. @default none (production configs are refused without) */
  readonly subscriptions?: readonly AlertSubscription[];
}

/** Services that publish alarms and events to the on-call topics. */
const PUBLISHERS = ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'backup.amazonaws.com'];

/**
 * A topic whose every Allow statement carries `aws:SourceAccount` of its own account: a grant
 * added later (an EventBridge `SnsTopic` target adds one for `events.amazonaws.com`) cannot open
 * the topic to another account's rules or alarms. Deny statements (TLS only) stay unconditioned.
 */
class SourceAccountTopic extends sns.Topic {
  override addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    if (statement.effect !== iam.Effect.ALLOW) return super.addToResourcePolicy(statement);
    const conditioned = statement.copy();
    conditioned.addCondition('StringEquals', { 'aws:SourceAccount': Stack.of(this).account });
    return super.addToResourcePolicy(conditioned);
  }
}

/**
 * The environment's on-call topics in one region, one per severity: `topic` (operational:
 * alarms on the platform's health, backups) and `securityTopic` (detection: GuardDuty, Security
 * Hub, sign-in and control-plane changes). Both KMS-encrypted, TLS-only publishing, publishable
 * only by CloudWatch alarms, EventBridge rules and AWS Backup of this account, and subscribed by
 * the configured people and systems by severity.
 *
 * Two topics rather than one with filter policies: alarm and EventBridge messages carry no
 * message attributes to filter on, and a topic per severity keeps the routing visible in the
 * template (and checkable: each topic an alarm notifies must have a subscriber).
 */
export class OnCallTopic extends Construct {
  /** Operational alerts (the topic every stack has used so far; logical id kept). */
  readonly topic: sns.Topic;
  /** Security alerts. */
  readonly securityTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: OnCallTopicProps) {
    super(scope, id);
    this.topic = this.createTopic('Topic', props.topicName, 'Platform on-call', props.key);
    this.securityTopic = this.createTopic(
      'SecurityTopic',
      props.securityTopicName,
      'Platform on-call: security',
      props.key,
    );
    props.key.grantEncryptDecrypt(
      new iam.CompositePrincipal(...PUBLISHERS.map((s) => new iam.ServicePrincipal(s))),
    );
    for (const subscription of props.subscriptions ?? []) {
      for (const severity of new Set(subscription.severities)) {
        this.topicFor(severity).addSubscription(subscriberOf(subscription));
      }
    }
  }

  /** The topic alerts of a severity go to. */
  topicFor(severity: AlertSeverity): sns.Topic {
    return severity === 'security' ? this.securityTopic : this.topic;
  }

  private createTopic(id: string, topicName: string, displayName: string, key: kms.IKey) {
    const topic = new SourceAccountTopic(this, id, {
      topicName,
      displayName,
      masterKey: key,
      enforceSSL: true,
    });
    topic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const account = { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } };
    for (const service of PUBLISHERS) {
      // The topic's statement gets its account condition from SourceAccountTopic; the key's
      // grant carries it on the principal.
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          actions: ['sns:Publish'],
          principals: [new iam.ServicePrincipal(service)],
          resources: [topic.topicArn],
        }),
      );
      key.grant(
        new iam.ServicePrincipal(service, { conditions: account }),
        'kms:Decrypt',
        'kms:GenerateDataKey*',
      );
    }
    return topic;
  }
}

function subscriberOf(subscription: AlertSubscription): sns.ITopicSubscription {
  return subscription.protocol === 'email'
    ? new subscriptions.EmailSubscription(subscription.endpoint)
    : new subscriptions.UrlSubscription(subscription.endpoint, {
        protocol: sns.SubscriptionProtocol.HTTPS,
      });
}
