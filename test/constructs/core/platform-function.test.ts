import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import { contract } from '../../../lambda/tenant-status/contract';
import { PlatformFunction } from '../../../lib/constructs/core/platform-function';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A function in a VPC, as the Data and Lifecycle stacks build them. */
function inVpc(): { template: Template; fn: PlatformFunction } {
  const stack = bareStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    subnetConfiguration: [
      { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const fn = new PlatformFunction(stack, 'Status', {
    contract,
    description: 'test function',
    environment: { TABLE_NAME: 'registry' },
    logsKey: new kms.Key(stack, 'LogsKey'),
    logRetention: logs.RetentionDays.ONE_YEAR,
    invocation: 'api',
    vpc,
    securityGroup: new ec2.SecurityGroup(stack, 'Group', { vpc }),
  });
  return { template: Template.fromStack(stack), fn };
}

const statements = (template: Template): Json[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p: Json) => p.Properties.PolicyDocument.Statement,
  );
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

describe('PlatformFunction in a VPC', () => {
  const { template, fn } = inVpc();

  it('attaches no managed policy: AWSLambdaVPCAccessExecutionRole allows log writes everywhere', () => {
    const cfnRole = fn.function.role!.node.defaultChild as iam.CfnRole;
    const role = template.findResources('AWS::IAM::Role')[fn.function.stack.getLogicalId(cfnRole)];
    expect(role).toBeDefined();
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('writes logs only to its own log group', () => {
    const groupId = fn.logGroup.stack.getLogicalId(
      fn.logGroup.node.defaultChild as logs.CfnLogGroup,
    );
    const logStatements = statements(template).filter((s) =>
      list(s.Action).some((a) => String(a).startsWith('logs:')),
    );
    expect(logStatements).not.toHaveLength(0);
    for (const s of logStatements) {
      expect(list(s.Resource)).toEqual([{ 'Fn::GetAtt': [groupId, 'Arn'] }]);
    }
  });

  it('holds exactly the network-interface actions Lambda needs to join the VPC', () => {
    const eni = statements(template).filter((s) =>
      list(s.Action).some((a) => String(a).startsWith('ec2:')),
    );
    expect(eni).toEqual([
      expect.objectContaining({ Sid: 'VpcNetworkInterfaces', Effect: 'Allow', Resource: '*' }),
    ]);
    expect([...list(eni[0].Action)].sort()).toEqual(
      [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ].sort(),
    );
  });
});

describe('PlatformFunction tracing', () => {
  const { template } = inVpc();

  it('traces actively, with source maps on', () => {
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: 'test function' },
      }),
    ) as Json[];
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('may send its trace segments, and only that to X-Ray', () => {
    const xray = statements(template).filter((s) =>
      list(s.Action).some((a) => String(a).startsWith('xray:')),
    );
    expect(xray).toHaveLength(1);
    expect([...list(xray[0].Action)].sort()).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });
});
