import { RemovalPolicy } from 'aws-cdk-lib';
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
import { acknowledgeSdkCallFunction } from '../core/sdk-call-function';

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
 * written to the file bucket by an `AwsCustomResource` (a PutObject, which answers CloudFormation
 * itself) when the stack is created and whenever the bucket, key or body changes: CloudFormation
 * calls a custom resource only when its properties change, so a deploy that changes none of them
 * does not write it again. Restore validation fails a restored bucket that lacks it.
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
    acknowledgeSdkCallFunction(this, 'writes the one restore sentinel object');
  }
}
