import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  SENTINEL_OBJECT_BODY,
  SENTINEL_OBJECT_KEY,
} from '../../../lambda/restore-validation/sentinel-object';
import { acknowledge } from '../../compliance/acknowledge';

export interface RestoreSentinelObjectProps {
  /** The file bucket (backed up, restore-tested). */
  readonly bucket: s3.IBucket;
  /** Its key: the object is written with SSE-KMS under it. */
  readonly key: kms.IKey;
  /** Key of the writer's log group. */
  readonly logsKey: kms.IKey;
  /** Retention of the writer's log group. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The restore sentinel object (`platform/restore-sentinel.json`, outside every tenant's prefix),
 * written to the file bucket at every deployment by an `AwsCustomResource` (a PutObject, which
 * answers CloudFormation itself): restore validation fails a restored bucket that lacks it.
 */
export class RestoreSentinelObject extends Construct {
  constructor(scope: Construct, id: string, props: RestoreSentinelObjectProps) {
    super(scope, id);
    const call: cr.AwsSdkCall = {
      service: 'S3',
      action: 'putObject',
      parameters: {
        Bucket: props.bucket.bucketName,
        Key: SENTINEL_OBJECT_KEY,
        Body: SENTINEL_OBJECT_BODY,
        ContentType: 'application/json',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: props.key.keyArn,
      },
      physicalResourceId: cr.PhysicalResourceId.of(`restore-sentinel-${props.bucket.bucketName}`),
    };
    const writer = new cr.AwsCustomResource(this, 'Writer', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [props.bucket.arnForObjects(SENTINEL_OBJECT_KEY)],
        }),
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey'],
          resources: [props.key.keyArn],
        }),
      ]),
      installLatestAwsSdk: false,
      logGroup: new logs.LogGroup(this, 'WriterLogs', {
        encryptionKey: props.logsKey,
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    });
    acknowledge(
      writer.node.findChild('CustomResourcePolicy'),
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'Inline policy of the CDK-provided deploy-time function role: s3:PutObject on the one ' +
        'sentinel key and kms:GenerateDataKey on the files key; removed with the role.',
    );
    this.acknowledgeWriterFunction();
  }

  /** The CDK's one AwsCustomResource function per stack (deploy time only, outside the VPC). */
  private acknowledgeWriterFunction(): void {
    const singletonId = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    const fn = Stack.of(this).node.findChild(singletonId);
    const deployOnly =
      'CDK-provided function that runs only during deployments of this stack, writing the one ' +
      'restore sentinel object (no tenant data)';
    acknowledge(
      fn.node.findChild('ServiceRole'),
      'AwsSolutions',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${deployOnly}; the AWS-managed policy grants only CloudWatch Logs writes.`,
    );
    acknowledge(
      fn,
      'NIST.800.53.R5',
      'NIST.800.53.R5-LambdaConcurrency',
      `${deployOnly}; CloudFormation invokes it once per create or update, never the public.`,
    );
    acknowledge(
      fn,
      'NIST.800.53.R5',
      'NIST.800.53.R5-LambdaDLQ',
      `${deployOnly}; CloudFormation invokes it synchronously and a failure fails the deployment.`,
    );
    const outsideVpc = `${deployOnly}; it calls the regional S3 API from outside the VPC.`;
    acknowledge(fn, 'NIST.800.53.R5', 'NIST.800.53.R5-LambdaInsideVPC', outsideVpc);
    acknowledge(fn, 'cdk-validator-cfnguard', 'lambda_inside_vpc_check', outsideVpc);
  }
}
