import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import {
  ApiGatewayDomainTls12,
  CloudFrontViewerTls12,
  LoadBalancerListenerTls12,
  LoadBalancerMultiSubnet,
  NoOpenAdminPorts,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { cfn, COMPLIANT, newStack, NON_COMPLIANT, NOT_APPLICABLE } from '../rule-harness';

describe('NoOpenAdminPorts', () => {
  it('passes HTTPS from anywhere and SSH from a private range', () => {
    const stack = newStack();
    const sg = cfn(stack, 'Sg', 'AWS::EC2::SecurityGroup', {
      GroupDescription: 'alb',
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' },
      ],
    });
    expect(NoOpenAdminPorts(sg)).toBe(COMPLIANT);
  });
  it('names SSH open on IPv6, RDP inside a port range, and all traffic', () => {
    const stack = newStack();
    const sg = cfn(stack, 'Sg', 'AWS::EC2::SecurityGroup', {
      GroupDescription: 'bad',
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv6: '::/0' },
        { IpProtocol: 'tcp', FromPort: 3000, ToPort: 4000, CidrIp: '0.0.0.0/0' },
      ],
    });
    expect(NoOpenAdminPorts(sg)).toEqual([
      'SecurityGroupIngress.0:22',
      'SecurityGroupIngress.1:3389',
    ]);
    const all = cfn(stack, 'All', 'AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-1',
      IpProtocol: '-1',
      CidrIp: '0.0.0.0/0',
    });
    expect(NoOpenAdminPorts(all)).toEqual(['Properties:22', 'Properties:3389']);
  });
  it('reports an imported CIDR as not checkable', () => {
    const ingress = cfn(newStack(), 'I', 'AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-1',
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      CidrIp: Fn.importValue('Cidr'),
    });
    expect(NoOpenAdminPorts(ingress)).toEqual(['NotCheckable:Properties.CidrIp']);
  });
});

describe('LoadBalancerMultiSubnet and LoadBalancerListenerTls12 on an L2 ALB', () => {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  const https = alb.addListener('Https', {
    port: 443,
    certificates: [
      elbv2.ListenerCertificate.fromArn('arn:aws:acm:ap-southeast-2:333333333333:certificate/abc'),
    ],
    sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    defaultAction: elbv2.ListenerAction.fixedResponse(404),
  });
  const redirect = alb.addRedirect();
  it('passes two subnets, TLS 1.3/1.2 HTTPS and the HTTP redirect', () => {
    expect(LoadBalancerMultiSubnet(alb.node.defaultChild as elbv2.CfnLoadBalancer)).toBe(COMPLIANT);
    expect(LoadBalancerListenerTls12(https.node.defaultChild as elbv2.CfnListener)).toBe(COMPLIANT);
    expect(LoadBalancerListenerTls12(redirect.node.defaultChild as elbv2.CfnListener)).toBe(
      COMPLIANT,
    );
  });
  it('fails one subnet, HTTPS with the default policy, and plain HTTP forwarding', () => {
    const s = newStack();
    expect(
      LoadBalancerMultiSubnet(
        cfn(s, 'Lb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: ['subnet-1'] }),
      ),
    ).toBe(NON_COMPLIANT);
    expect(
      LoadBalancerListenerTls12(
        cfn(s, 'L1', 'AWS::ElasticLoadBalancingV2::Listener', {
          Protocol: 'HTTPS',
          Port: 443,
          LoadBalancerArn: 'a',
          DefaultActions: [],
        }),
      ),
    ).toBe(NON_COMPLIANT);
    expect(
      LoadBalancerListenerTls12(
        cfn(s, 'L2', 'AWS::ElasticLoadBalancingV2::Listener', {
          Protocol: 'HTTP',
          Port: 80,
          LoadBalancerArn: 'a',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: 't' }],
        }),
      ),
    ).toBe(NON_COMPLIANT);
    expect(
      LoadBalancerListenerTls12(
        cfn(s, 'L3', 'AWS::ElasticLoadBalancingV2::Listener', {
          Protocol: 'TCP',
          Port: 5432,
          LoadBalancerArn: 'a',
          DefaultActions: [],
        }),
      ),
    ).toBe(NOT_APPLICABLE);
  });
});

describe('ApiGatewayDomainTls12', () => {
  it('passes TLS_1_2 on REST and HTTP API domains', () => {
    const stack = newStack();
    expect(
      ApiGatewayDomainTls12(
        cfn(stack, 'R', 'AWS::ApiGateway::DomainName', {
          DomainName: 'api.example.com',
          SecurityPolicy: 'TLS_1_2',
        }),
      ),
    ).toBe(COMPLIANT);
    expect(
      ApiGatewayDomainTls12(
        cfn(stack, 'H', 'AWS::ApiGatewayV2::DomainName', {
          DomainName: 'api.example.com',
          DomainNameConfigurations: [{ SecurityPolicy: 'TLS_1_2', CertificateArn: 'c' }],
        }),
      ),
    ).toBe(COMPLIANT);
  });
  it('fails the TLS_1_0 default and names weak configurations', () => {
    const stack = newStack();
    expect(
      ApiGatewayDomainTls12(
        cfn(stack, 'R', 'AWS::ApiGateway::DomainName', { DomainName: 'api.example.com' }),
      ),
    ).toBe(NON_COMPLIANT);
    expect(
      ApiGatewayDomainTls12(
        cfn(stack, 'H', 'AWS::ApiGatewayV2::DomainName', {
          DomainName: 'x',
          DomainNameConfigurations: [{ SecurityPolicy: 'TLS_1_0', CertificateArn: 'c' }],
        }),
      ),
    ).toEqual(['DomainNameConfigurations.0']);
  });
});

describe('CloudFrontViewerTls12', () => {
  const distribution = (viewerCertificate: unknown) =>
    cfn(newStack(), 'D', 'AWS::CloudFront::Distribution', {
      DistributionConfig: { Enabled: true, ViewerCertificate: viewerCertificate },
    });
  it('passes TLSv1.2_2021 with an ACM certificate', () => {
    expect(
      CloudFrontViewerTls12(
        distribution({
          AcmCertificateArn: 'arn:aws:acm:us-east-1:333333333333:certificate/x',
          SslSupportMethod: 'sni-only',
          MinimumProtocolVersion: 'TLSv1.2_2021',
        }),
      ),
    ).toBe(COMPLIANT);
  });
  it('fails TLSv1.2_2018 (cdk-nag passes it) and the default certificate', () => {
    expect(
      CloudFrontViewerTls12(
        distribution({
          AcmCertificateArn: 'c',
          SslSupportMethod: 'sni-only',
          MinimumProtocolVersion: 'TLSv1.2_2018',
        }),
      ),
    ).toBe(NON_COMPLIANT);
    expect(CloudFrontViewerTls12(distribution({ CloudFrontDefaultCertificate: true }))).toBe(
      NON_COMPLIANT,
    );
  });
});
