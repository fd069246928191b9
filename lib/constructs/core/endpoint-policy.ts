import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The one statement of every VPC endpoint policy of the platform (gateway and interface endpoints
 * in the Network stack, the ECR endpoints in the Compute stack): the endpoint serves only
 * principals of this account, so stolen credentials of another account cannot be used through it
 * to move data out. `aws:PrincipalAccount`, not `aws:ResourceAccount`, which would also refuse
 * AWS-owned buckets such as ECR's image layers.
 */
export function ownAccountOnlyEndpointStatement(scope: Construct): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'OnlyPrincipalsOfThisAccount',
    principals: [new iam.StarPrincipal()],
    actions: ['*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:PrincipalAccount': Stack.of(scope).account } },
  });
}
