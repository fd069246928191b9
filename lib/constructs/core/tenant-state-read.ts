import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Lets a role read one tenant's state from the registry: GetItem on the registry table only
 * (referred to by name: it lives in the Data stack, deployed after the stacks that read it) and
 * kms:Decrypt of the registry key through DynamoDB only.
 */
export function grantTenantStateRead(
  role: iam.IRole,
  registryTableName: string,
  registryKey: kms.IKey,
): void {
  const stack = Stack.of(role);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadTenantState',
      actions: ['dynamodb:GetItem'],
      resources: [
        stack.formatArn({
          service: 'dynamodb',
          resource: 'table',
          resourceName: registryTableName,
        }),
      ],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DecryptRegistry',
      actions: ['kms:Decrypt'],
      resources: [registryKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.amazonaws.com` },
      },
    }),
  );
}
