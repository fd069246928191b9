import type { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { LifecycleFunctionsCommon } from '../../lib/constructs/lifecycle/registry-access';

export const REGISTRY_ARN = 'arn:aws:dynamodb:ap-southeast-2:333333333333:table/logi-prod-tenants';
export const AUDIT_ARN =
  'arn:aws:dynamodb:ap-southeast-2:333333333333:table/logi-prod-tenant-audit';
export const REGISTRY_KEY_ARN = 'arn:aws:kms:ap-southeast-2:333333333333:key/registry';

/**
 * What every lifecycle construct takes, on a bare stack: the registry tables and key imported by
 * ARN (so statements name them literally), a logs key, and a VPC with the Compute subnets the
 * platform's functions run in.
 */
export function lifecycleCommon(stack: Stack): LifecycleFunctionsCommon {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  return {
    registry: {
      table: dynamodb.TableV2.fromTableArn(stack, 'Registry', REGISTRY_ARN),
      auditTable: dynamodb.TableV2.fromTableArn(stack, 'Audit', AUDIT_ARN),
      key: kms.Key.fromKeyArn(stack, 'RegistryKey', REGISTRY_KEY_ARN),
    },
    logsKey: new kms.Key(stack, 'LogsKey'),
    logRetention: logs.RetentionDays.ONE_YEAR,
    vpc,
    securityGroup: new ec2.SecurityGroup(stack, 'Functions', { vpc }),
  };
}
