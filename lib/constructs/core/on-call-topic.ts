import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface OnCallTopicProps {
  /** Deterministic topic name, so other stacks and regions address it by ARN. */
  readonly topicName: string;
  /** Customer-managed key encrypting messages at rest. */
  readonly key: kms.IKey;
}

/** Services that publish alarms and events to the on-call topic. */
const PUBLISHERS = ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'backup.amazonaws.com'];

/**
 * The environment's on-call SNS topic in one region: KMS-encrypted, TLS-only publishing, and
 * publishable by CloudWatch alarms, EventBridge rules and AWS Backup of this account.
 */
export class OnCallTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: OnCallTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: 'Platform on-call',
      masterKey: props.key,
      enforceSSL: true,
    });
    this.topic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    for (const service of PUBLISHERS) {
      this.topic.grantPublish(
        new iam.ServicePrincipal(service, {
          conditions: { StringEquals: { 'aws:SourceAccount': this.topic.env.account } },
        }),
      );
    }
    props.key.grantEncryptDecrypt(
      new iam.CompositePrincipal(...PUBLISHERS.map((s) => new iam.ServicePrincipal(s))),
    );
  }
}
