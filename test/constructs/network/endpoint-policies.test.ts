import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PlatformNetwork } from '../../../lib/constructs/network/platform-network';
import { bareStack, TEST_ACCOUNT, TEST_REGION } from '../../support/bare-stack';
import type { Decision } from '../../support/iam-simulation';
import { ADMINISTRATOR_POLICY, decideAndRecord, resolve } from '../../support/iam-simulation';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const stack = bareStack();
new PlatformNetwork(stack, 'Network', {
  cidr: '10.30.0.0/16',
  availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b'],
  natGateways: 'single',
  logsKey: new kms.Key(stack, 'LogsKey'),
  flowLogRetention: logs.RetentionDays.ONE_YEAR,
  flowLogGroupName: '/flow-logs',
});
const endpoints = Object.values(
  Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint'),
) as Json[];

test('every endpoint (gateway and interface) has a policy admitting only this account’s principals', () => {
  expect(endpoints.length).toBeGreaterThanOrEqual(7);
  for (const endpoint of endpoints) {
    expect(endpoint.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Condition: { StringEquals: { 'aws:PrincipalAccount': TEST_ACCOUNT } },
      }),
    ]);
  }
});

describe('S3 gateway endpoint (decisions by the IAM policy simulator)', () => {
  const s3 = endpoints.find((e) => JSON.stringify(e.Properties.ServiceName).includes('.s3'));
  const policy = resolve(
    s3?.Properties.PolicyDocument,
    {},
    { account: TEST_ACCOUNT, region: TEST_REGION },
  );
  const object = 'arn:aws:s3:::exfiltration-bucket/dump.zip';
  const cases: [string, string, string, Decision][] = [
    [
      'function role of this account',
      `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/fn/s`,
      TEST_ACCOUNT,
      'Allowed',
    ],
    [
      'admin of another account, its own bucket',
      'arn:aws:sts::999999999999:assumed-role/Administrator/x',
      '999999999999',
      'ImplicitlyDenied',
    ],
  ];
  it.each(cases)(
    '%s: s3:PutObject through the endpoint -> %s',
    async (who, principal, owner, expected) => {
      const got = await decideAndRecord(
        'vpc-endpoint',
        who,
        {
          principal,
          action: 's3:PutObject',
          resource: object,
          resourceAccount: owner,
          identityPolicies: [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_POLICY }],
          // The bucket owner allows the caller: only the endpoint policy decides.
          resourcePolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: principal },
                Action: 's3:PutObject',
                Resource: object,
              },
            ],
          },
          vpcEndpointPolicies: [{ name: 's3-endpoint', policy }],
        },
        expected,
      );
      expect(got).toBe(expected);
    },
  );
});
