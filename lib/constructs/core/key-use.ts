import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/** The AWS services through which platform roles use a data key. */
export type KeyService = 'dynamodb' | 's3' | 'sqs';

/**
 * Lets a role use a data key only through the service that stores the data (`kms:ViaService`):
 * the role can read its table, bucket or queue, but cannot call KMS directly with the key to
 * decrypt a copy of the data taken elsewhere. An identity-policy statement, as `key.grant` adds
 * for a key of the own account, with the condition `key.grant` cannot express.
 */
export function grantKeyThrough(
  key: kms.IKey,
  role: iam.IRole,
  service: KeyService,
  actions: readonly string[],
): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...actions],
      resources: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `${service}.${Stack.of(role).region}.amazonaws.com` },
      },
    }),
  );
}
