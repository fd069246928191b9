import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import {
  DatabasePortsWithinVpc,
  NoInternetIngress,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { cidrWithin } from '../../../../../packages/cdk-iso27001/src/iso27001/rules/ec2/DatabasePortsWithinVpc';
import { cfn, COMPLIANT, newStack, NOT_APPLICABLE, ref } from '../rule-harness';

const HTTPS_ANYWHERE = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' };

describe('NoInternetIngress', () => {
  it('passes 80 and 443 from anywhere on an internet-facing L2 load balancer', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    alb.addListener('Http', { port: 80, open: true }).addAction('Redirect', {
      action: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443' }),
    });
    const group = alb.connections.securityGroups[0].node.defaultChild as ec2.CfnSecurityGroup;
    expect(NoInternetIngress(group)).toBe(COMPLIANT);
  });

  it('fails HTTPS from anywhere on a group that is not a public load balancer, whatever it is', () => {
    const stack = newStack();
    const loose = cfn(stack, 'Loose', 'AWS::EC2::SecurityGroup', {
      GroupDescription: 'attached to nothing yet',
      SecurityGroupIngress: [HTTPS_ANYWHERE],
    });
    expect(NoInternetIngress(loose)).toEqual(['SecurityGroupIngress.0']);
    const internal = cfn(stack, 'InternalSg', 'AWS::EC2::SecurityGroup', {
      GroupDescription: 'internal alb',
    });
    cfn(stack, 'InternalLb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      SecurityGroups: [{ 'Fn::GetAtt': ['InternalSg', 'GroupId'] }],
    });
    const ingress = cfn(stack, 'Open', 'AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': ['InternalSg', 'GroupId'] },
      ...HTTPS_ANYWHERE,
    });
    expect(NoInternetIngress(internal)).toBe(COMPLIANT);
    expect(NoInternetIngress(ingress)).toEqual(['Properties']);
  });

  it('fails a non-web port, or all traffic, from anywhere even on a public load balancer', () => {
    const stack = newStack();
    const group = cfn(stack, 'LbSg', 'AWS::EC2::SecurityGroup', {
      GroupDescription: 'public alb',
      SecurityGroupIngress: [
        HTTPS_ANYWHERE,
        { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIpv6: '::/0' },
        { IpProtocol: '-1', CidrIp: '0.0.0.0/0' },
      ],
    });
    cfn(stack, 'Lb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', {
      SecurityGroups: [ref(group)],
    });
    expect(NoInternetIngress(group)).toEqual(['SecurityGroupIngress.1', 'SecurityGroupIngress.2']);
  });

  it('is not checkable for a standalone ingress into a group outside the stack', () => {
    const ingress = cfn(newStack(), 'I', 'AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0123456789abcdef0',
      ...HTTPS_ANYWHERE,
    });
    expect(NoInternetIngress(ingress)).toEqual(['NotCheckable:GroupId']);
    expect(NoInternetIngress(cfn(newStack(), 'B', 'AWS::S3::Bucket'))).toBe(NOT_APPLICABLE);
  });
});

describe('DatabasePortsWithinVpc', () => {
  function groupIn(cidr: string, ingress: Record<string, unknown>[]) {
    const stack = newStack();
    cfn(stack, 'Vpc', 'AWS::EC2::VPC', { CidrBlock: cidr });
    return cfn(stack, 'Sg', 'AWS::EC2::SecurityGroup', {
      GroupDescription: 'g',
      VpcId: { Ref: 'Vpc' },
      SecurityGroupIngress: ingress,
    });
  }
  const postgresFrom = (cidr: string) => ({
    IpProtocol: 'tcp',
    FromPort: 5432,
    ToPort: 5432,
    CidrIp: cidr,
  });

  it('passes a database port open to a range inside the VPC, and HTTPS from anywhere', () => {
    const group = groupIn('10.30.0.0/16', [postgresFrom('10.30.4.0/24'), HTTPS_ANYWHERE]);
    expect(DatabasePortsWithinVpc(group)).toBe(COMPLIANT);
  });

  it('fails a database port open to a range outside the VPC, to IPv6, or all ports', () => {
    const group = groupIn('10.30.0.0/16', [
      postgresFrom('10.0.0.0/8'),
      { IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, CidrIpv6: '2001:db8::/32' },
      { IpProtocol: '-1', CidrIp: '192.168.0.0/24' },
    ]);
    expect(DatabasePortsWithinVpc(group)).toEqual([
      'SecurityGroupIngress.0:10.0.0.0/8',
      'SecurityGroupIngress.1:2001:db8::/32',
      'SecurityGroupIngress.2:192.168.0.0/24',
    ]);
  });

  it('is not checkable when the VPC is not in the stack', () => {
    const group = cfn(newStack(), 'Sg', 'AWS::EC2::SecurityGroup', {
      GroupDescription: 'g',
      VpcId: 'vpc-12345678',
      SecurityGroupIngress: [postgresFrom('10.30.4.0/24')],
    });
    expect(DatabasePortsWithinVpc(group)).toEqual(['NotCheckable:SecurityGroupIngress.0.VpcId']);
  });

  it('compares CIDRs', () => {
    expect(cidrWithin('10.30.4.0/24', '10.30.0.0/16')).toBe(true);
    expect(cidrWithin('10.0.0.0/8', '10.30.0.0/16')).toBe(false);
    expect(cidrWithin('10.31.0.0/24', '10.30.0.0/16')).toBe(false);
  });
});
