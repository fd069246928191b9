import type { IConstruct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

/**
 * A bucket that sends its server access logs to the region's access-logs bucket by name: the CDK
 * cannot add the delivery grant to a bucket of another stack and warns; the grant exists, account
 * wide, in `AccessLogsBucket`.
 */
export function acknowledgeAccessLogDelivery(bucket: IConstruct): void {
  acknowledge(
    bucket,
    'Annotation',
    '@aws-cdk/aws-s3:accessLogsPolicyNotAdded',
    "The region's access-logs bucket (Security stack) already admits S3 server access log " +
      'delivery from every bucket of this account (policy S3ServerAccessLogsOfThisAccount).',
  );
}
