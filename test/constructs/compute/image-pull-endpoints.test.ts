import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ImagePullEndpoints } from '../../../lib/constructs/compute/image-pull-endpoints';
import { SUBNET_GROUPS } from '../../../lib/constructs/core/subnet-groups';
import { bareStack, TEST_ACCOUNT, TEST_REGION } from '../../support/bare-stack';
import type { Decision } from '../../support/iam-simulation';
import { ADMINISTRATOR_POLICY, decideAndRecord, resolve } from '../../support/iam-simulation';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CIDR = '10.40.0.0/16';
const COMPUTE_SUBNETS = ['subnet-compute-a', 'subnet-compute-b'];

const stack = bareStack();
// The platform's three subnet groups: only the compute one may hold the endpoints.
const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
  vpcId: 'vpc-12345678',
  vpcCidrBlock: CIDR,
  availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b'],
  publicSubnetIds: ['subnet-ingress-a', 'subnet-ingress-b'],
  publicSubnetNames: [SUBNET_GROUPS.public],
  publicSubnetRouteTableIds: ['rtb-ingress-a', 'rtb-ingress-b'],
  privateSubnetIds: COMPUTE_SUBNETS,
  privateSubnetNames: [SUBNET_GROUPS.private],
  privateSubnetRouteTableIds: ['rtb-compute-a', 'rtb-compute-b'],
  isolatedSubnetIds: ['subnet-database-a', 'subnet-database-b'],
  isolatedSubnetNames: [SUBNET_GROUPS.isolated],
  isolatedSubnetRouteTableIds: ['rtb-database-a', 'rtb-database-b'],
});
const imagePull = new ImagePullEndpoints(stack, 'ImagePull', {
  vpc,
  subnets: { subnetGroupName: SUBNET_GROUPS.private },
  vpcCidr: CIDR,
});
const template = Template.fromStack(stack);
const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map(
  (e) => e.Properties as Json,
);
const groupId = stack.getLogicalId(
  imagePull.securityGroup.node.defaultChild as ec2.CfnSecurityGroup,
);
const group = template.toJSON().Resources[groupId].Properties as Json;

/** The endpoint of a service (`ecr.api`, `ecr.dkr`). */
const endpoint = (service: string) =>
  endpoints.find((e) => e.ServiceName === `com.amazonaws.${TEST_REGION}.${service}`);

test('an ECR API and an ECR Docker interface endpoint, with private DNS so the registry names resolve to them', () => {
  expect(endpoints.map((e) => e.ServiceName).sort()).toEqual([
    `com.amazonaws.${TEST_REGION}.ecr.api`,
    `com.amazonaws.${TEST_REGION}.ecr.dkr`,
  ]);
  for (const e of endpoints) {
    expect(e).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
  }
});

test('both endpoints sit in the compute subnets only, never the ingress or database ones', () => {
  for (const e of endpoints) {
    expect(e.SubnetIds).toEqual(COMPUTE_SUBNETS);
  }
});

test('both endpoints are in the construct’s own security group and no other', () => {
  for (const e of endpoints) {
    expect(e.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [groupId, 'GroupId'] }]);
  }
});

test('the security group admits HTTPS from the VPC range only, and sends nothing', () => {
  const ingress = [
    ...((group.SecurityGroupIngress as Json[] | undefined) ?? []),
    ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r) => r.Properties as Json)
      .filter((r) => JSON.stringify(r.GroupId).includes(groupId)),
  ];
  expect(ingress).toEqual([
    expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: CIDR }),
  ]);
  // allowAllOutbound: false leaves CDK's placeholder rule that matches no traffic.
  expect(group.SecurityGroupEgress).toEqual([
    expect.objectContaining({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' }),
  ]);
  expect(template.findResources('AWS::EC2::SecurityGroupEgress')).toEqual({});
});

test('each endpoint has a policy, and it admits only principals of this account', () => {
  for (const e of endpoints) {
    expect(e.PolicyDocument?.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Condition: { StringEquals: { 'aws:PrincipalAccount': TEST_ACCOUNT } },
      }),
    ]);
  }
});

/**
 * docs/network.md: every endpoint's policy (ECR's in the Compute stack included) admits only
 * principals of the environment's account. Without a policy an endpoint has AWS's default one
 * (anything for anyone), so stolen credentials of another account could push the platform's data
 * through it into a repository of theirs.
 */
describe('endpoint policy (decisions by the IAM policy simulator)', () => {
  const AWS_DEFAULT_ENDPOINT_POLICY = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
  };
  const policyOf = (service: string) =>
    resolve(
      endpoint(service)?.PolicyDocument ?? AWS_DEFAULT_ENDPOINT_POLICY,
      {},
      { account: TEST_ACCOUNT, region: TEST_REGION },
    );
  const FOREIGN = '999999999999';
  const own = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/documents-execution/task`;
  const foreign = `arn:aws:sts::${FOREIGN}:assumed-role/Administrator/x`;
  const cases: {
    who: string;
    service: string;
    principal: string;
    action: string;
    owner: string;
    expected: Decision;
  }[] = [
    {
      who: 'this account’s task pulls a layer',
      service: 'ecr.dkr',
      principal: own,
      action: 'ecr:GetDownloadUrlForLayer',
      owner: TEST_ACCOUNT,
      expected: 'Allowed',
    },
    {
      who: 'this account’s task reads its image manifest',
      service: 'ecr.api',
      principal: own,
      action: 'ecr:BatchGetImage',
      owner: TEST_ACCOUNT,
      expected: 'Allowed',
    },
    {
      who: 'another account’s admin uploads a layer to its own repository',
      service: 'ecr.dkr',
      principal: foreign,
      action: 'ecr:UploadLayerPart',
      owner: FOREIGN,
      expected: 'ImplicitlyDenied',
    },
    {
      who: 'another account’s admin puts an image into its own repository',
      service: 'ecr.api',
      principal: foreign,
      action: 'ecr:PutImage',
      owner: FOREIGN,
      expected: 'ImplicitlyDenied',
    },
  ];
  it.each(cases)(
    '$who through $service -> $expected',
    async ({ who, service, principal, action, owner, expected }) => {
      const got = await decideAndRecord(
        'ecr-endpoints',
        who,
        {
          principal,
          action,
          resource: `arn:aws:ecr:${TEST_REGION}:${owner}:repository/cdk-hnb659fds-container-assets`,
          resourceAccount: owner,
          identityPolicies: [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_POLICY }],
          vpcEndpointPolicies: [{ name: `${service}-endpoint`, policy: policyOf(service) }],
        },
        expected,
      );
      expect(got).toBe(expected);
    },
  );
});
