import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWhile, onlyActionsOn } from '../../compliance/acknowledge';
import { acknowledgeSdkCallFunction } from '../core/sdk-call-function';

/** The services of the VPC's gateway endpoints. */
export type GatewayService = 's3' | 'dynamodb';

export interface GatewayPrefixListsProps {
  /** Key of the lookup's log group; it must allow CloudWatch Logs. */
  readonly logsKey: kms.IKey;
  /** Retention of the lookup's log group. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The ids of the AWS-managed prefix lists `com.amazonaws.<region>.s3` and `.dynamodb`: a security
 * group can name the S3 and DynamoDB gateway endpoints only by them. The ids differ per region and
 * CloudFormation has no intrinsic for them, so they are read once at deployment
 * (`ec2:DescribeManagedPrefixLists`, read-only), once per region: the functions' groups, restore
 * validation and the Compute stack's services all name these.
 */
export class GatewayPrefixLists extends Construct {
  /** Prefix-list id per gateway service (deploy-time tokens). */
  readonly ids: Readonly<Record<GatewayService, string>>;

  constructor(scope: Construct, id: string, props: GatewayPrefixListsProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'LookupLogs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.ids = {
      s3: this.lookUp(logGroup, 'S3', 's3'),
      dynamodb: this.lookUp(logGroup, 'DynamoDb', 'dynamodb'),
    };
    acknowledgeSdkCallFunction(this, 'makes read-only EC2 calls (DescribeManagedPrefixLists)');
  }

  private lookUp(logGroup: logs.ILogGroup, id: string, service: GatewayService): string {
    const region = Stack.of(this).region;
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'describeManagedPrefixLists',
      parameters: {
        Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${region}.${service}`] }],
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${service}-prefix-list-${region}`),
      outputPaths: ['PrefixLists.0.PrefixListId'],
    };
    const lookup = new cr.AwsCustomResource(this, id, {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
        resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE,
      }),
      installLatestAwsSdk: false,
      logGroup,
    });
    const policy = lookup.node.findChild('CustomResourcePolicy');
    acknowledgeWhile(
      policy,
      'AwsSolutions',
      'AwsSolutions-IAM5[Resource::*]',
      'ec2:DescribeManagedPrefixLists is a read-only call without resource-level permissions; it is ' +
        'the only action of this policy, and only the deploy-time lookup function holds it.',
      onlyActionsOn('*', ['ec2:DescribeManagedPrefixLists']),
    );
    acknowledge(
      policy,
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'Inline policy of the CDK-provided lookup function role with one read-only action; it cannot ' +
        'be attached to anything else and is removed with the role.',
    );
    return lookup.getResponseField('PrefixLists.0.PrefixListId');
  }
}
