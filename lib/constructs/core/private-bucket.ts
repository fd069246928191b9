import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket of the platform has, whatever it holds: versioning, public access blocked,
 * ACLs disabled, TLS 1.2+ only, retained when its stack is deleted. Spread it into the bucket's
 * props and add encryption, locks, logging and lifecycle.
 */
export const PRIVATE_BUCKET = {
  versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies s3.BucketProps;

/**
 * Object events to EventBridge, set on the bucket itself (the L2 `eventBridgeEnabled` would add a
 * custom-resource Lambda to do the same).
 */
export function sendEventsToEventBridge(bucket: s3.Bucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
    eventBridgeConfiguration: { eventBridgeEnabled: true },
  };
}
