import { CfnParameter, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import {
  auroraGlobalDatabase,
  AuroraPostgresForceSsl,
  DatabaseSecurityGroupSourcesOnly,
  DatabaseSubnetsIsolated,
  RdsClusterIamAuth,
  RdsClusterMultiAz,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { cfn, COMPLIANT, newStack, NON_COMPLIANT, NOT_APPLICABLE } from '../rule-harness';

/** An L2 Aurora PostgreSQL cluster on isolated subnets, as the platform builds it. */
function platformCluster() {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const parameterGroup = new rds.ParameterGroup(stack, 'Params', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({
      version: rds.AuroraPostgresEngineVersion.VER_16_4,
    }),
    parameters: { 'rds.force_ssl': '1' },
  });
  const cluster = new rds.DatabaseCluster(stack, 'Aurora', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({
      version: rds.AuroraPostgresEngineVersion.VER_16_4,
    }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    writer: rds.ClusterInstance.provisioned('writer'),
    readers: [rds.ClusterInstance.provisioned('reader')],
    iamAuthentication: true,
    parameterGroup,
  });
  const app = new ec2.SecurityGroup(stack, 'AppSg', { vpc });
  cluster.connections.allowDefaultPortFrom(app);
  return { stack, vpc, cluster, l1: cluster.node.defaultChild as rds.CfnDBCluster };
}

describe('RDS rules on the platform-shaped L2 cluster', () => {
  const { cluster, l1 } = platformCluster();
  it('pass IAM auth, multi-AZ, force_ssl, SG sources and isolated subnets', () => {
    expect(RdsClusterIamAuth(l1)).toBe(COMPLIANT);
    expect(RdsClusterMultiAz(l1)).toBe(COMPLIANT);
    expect(AuroraPostgresForceSsl(l1)).toBe(COMPLIANT);
    expect(DatabaseSecurityGroupSourcesOnly(l1)).toBe(COMPLIANT);
    const subnetGroup = cluster.node.findChild('Subnets').node.defaultChild as rds.CfnDBSubnetGroup;
    expect(DatabaseSubnetsIsolated(subnetGroup)).toBe(COMPLIANT);
  });
  it('fail CIDR ingress and subnets that route to a NAT gateway', () => {
    const { stack, vpc, cluster: c } = platformCluster();
    c.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.0.0.0/16'));
    expect(DatabaseSecurityGroupSourcesOnly(c.node.defaultChild as rds.CfnDBCluster)).toEqual([
      expect.stringMatching(/^AuroraSecurityGroupfrom1000016IndirectPort[0-9A-F]{8}$/), // the standalone ingress
    ]);
    const group = new rds.CfnDBSubnetGroup(stack, 'Egress', {
      dbSubnetGroupDescription: 'app subnets',
      subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
    });
    expect(DatabaseSubnetsIsolated(group)).toHaveLength(2);
  });
});

describe('RdsClusterIamAuth', () => {
  it('fails IAM auth off, and reports a token engine as not checkable (cdk-nag passes it)', () => {
    const stack = newStack();
    expect(
      RdsClusterIamAuth(cfn(stack, 'C', 'AWS::RDS::DBCluster', { Engine: 'aurora-mysql' })),
    ).toBe(NON_COMPLIANT);
    const engine = new CfnParameter(stack, 'Engine', { type: 'String' });
    expect(
      RdsClusterIamAuth(cfn(stack, 'T', 'AWS::RDS::DBCluster', { Engine: engine.valueAsString })),
    ).toEqual(['NotCheckable:Engine']);
  });
});

describe('RdsClusterMultiAz', () => {
  it('fails a single-instance cluster and two instances pinned to one AZ', () => {
    const stack = newStack();
    const single = cfn(stack, 'Single', 'AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' });
    cfn(stack, 'SingleW', 'AWS::RDS::DBInstance', {
      DBClusterIdentifier: single.ref,
      DBInstanceClass: 'db.r6g.large',
      Engine: 'aurora-postgresql',
    });
    expect(RdsClusterMultiAz(single)).toBe(NON_COMPLIANT);
    const pinned = cfn(stack, 'Pinned', 'AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' });
    for (const id of ['A', 'B']) {
      cfn(stack, `Pinned${id}`, 'AWS::RDS::DBInstance', {
        DBClusterIdentifier: pinned.ref,
        AvailabilityZone: 'ap-southeast-2a',
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
      });
    }
    expect(RdsClusterMultiAz(pinned)).toBe(NON_COMPLIANT);
  });
});

describe('AuroraPostgresForceSsl', () => {
  it('fails the default group and a group without force_ssl; not applicable to MySQL', () => {
    const stack = newStack();
    expect(
      AuroraPostgresForceSsl(
        cfn(stack, 'D', 'AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' }),
      ),
    ).toBe(NON_COMPLIANT);
    const group = cfn(stack, 'G', 'AWS::RDS::DBClusterParameterGroup', {
      Family: 'aurora-postgresql16',
      Description: 'g',
      Parameters: { timezone: 'UTC' },
    });
    expect(
      AuroraPostgresForceSsl(
        cfn(stack, 'P', 'AWS::RDS::DBCluster', {
          Engine: 'aurora-postgresql',
          DBClusterParameterGroupName: group.ref,
        }),
      ),
    ).toBe(NON_COMPLIANT);
    expect(
      AuroraPostgresForceSsl(cfn(stack, 'M', 'AWS::RDS::DBCluster', { Engine: 'aurora-mysql' })),
    ).toBe(NOT_APPLICABLE);
  });
  it('reports an imported parameter group as not checkable', () => {
    const stack = newStack();
    const cluster = cfn(stack, 'I', 'AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      DBClusterParameterGroupName: Fn.importValue('Group'),
    });
    expect(AuroraPostgresForceSsl(cluster)).toEqual(['NotCheckable:DBClusterParameterGroupName']);
  });
});

describe('auroraGlobalDatabase', () => {
  const rule = auroraGlobalDatabase({ scope: 'all' });
  it('passes a primary named by a global cluster and a secondary with GlobalClusterIdentifier', () => {
    const stack = newStack();
    const primary = cfn(stack, 'Primary', 'AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' });
    cfn(stack, 'Global', 'AWS::RDS::GlobalCluster', {
      GlobalClusterIdentifier: 'logi-prod',
      SourceDBClusterIdentifier: primary.ref,
    });
    expect(rule(primary)).toBe(COMPLIANT);
    expect(
      rule(
        cfn(stack, 'Secondary', 'AWS::RDS::DBCluster', {
          Engine: 'aurora-postgresql',
          GlobalClusterIdentifier: 'logi-prod',
        }),
      ),
    ).toBe(COMPLIANT);
  });
  it('fails a regional-only cluster', () => {
    expect(
      rule(cfn(newStack(), 'Alone', 'AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' })),
    ).toBe(NON_COMPLIANT);
  });
});

describe('DatabaseSecurityGroupSourcesOnly and DatabaseSubnetsIsolated on raw resources', () => {
  it('report security groups and subnets outside the stack as not checkable', () => {
    const stack = newStack();
    const cluster = cfn(stack, 'C', 'AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
    });
    expect(DatabaseSecurityGroupSourcesOnly(cluster)).toEqual([
      'NotCheckable:VpcSecurityGroupIds.0',
    ]);
    const group = cfn(stack, 'G', 'AWS::RDS::DBSubnetGroup', {
      DBSubnetGroupDescription: 'd',
      SubnetIds: [Fn.importValue('Subnet')],
    });
    expect(DatabaseSubnetsIsolated(group)).toEqual(['NotCheckable:SubnetIds.0']);
  });
  it('fail an inline CIDR rule and a subnet routed to an internet gateway', () => {
    const stack = newStack();
    const sg = cfn(stack, 'Sg', 'AWS::EC2::SecurityGroup', {
      GroupDescription: 'db',
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '10.0.0.0/8' },
      ],
    });
    const cluster = cfn(stack, 'C', 'AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      VpcSecurityGroupIds: [sg.getAtt('GroupId')],
    });
    expect(DatabaseSecurityGroupSourcesOnly(cluster)).toEqual(['Sg.SecurityGroupIngress.0']);
    const subnet = cfn(stack, 'Subnet', 'AWS::EC2::Subnet', {
      VpcId: 'vpc-1',
      CidrBlock: '10.0.0.0/24',
    });
    const table = cfn(stack, 'Rt', 'AWS::EC2::RouteTable', { VpcId: 'vpc-1' });
    const igw = cfn(stack, 'Igw', 'AWS::EC2::InternetGateway');
    cfn(stack, 'Assoc', 'AWS::EC2::SubnetRouteTableAssociation', {
      SubnetId: subnet.ref,
      RouteTableId: table.ref,
    });
    cfn(stack, 'ToIgw', 'AWS::EC2::Route', {
      RouteTableId: table.ref,
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: igw.ref,
    });
    const group = cfn(stack, 'G', 'AWS::RDS::DBSubnetGroup', {
      DBSubnetGroupDescription: 'd',
      SubnetIds: [subnet.ref],
    });
    expect(DatabaseSubnetsIsolated(group)).toEqual(['Subnet']);
  });
});
