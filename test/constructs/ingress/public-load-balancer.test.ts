import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PublicLoadBalancer } from '../../../lib/constructs/ingress/public-load-balancer';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CERT = 'arn:aws:acm:ap-southeast-2:333333333333:certificate/abc';

function build(deletionProtection = true, attach?: (lb: PublicLoadBalancer) => void) {
  const stack = bareStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'],
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const lb = new PublicLoadBalancer(stack, 'Public', {
    vpc,
    subnets: { subnetGroupName: 'Ingress' },
    certificateArn: CERT,
    accessLogsBucket: new s3.Bucket(stack, 'AlbLogs'),
    deletionProtection,
  });
  attach?.(lb);
  return Template.fromStack(stack);
}

const template = build();
const attributes = (t: Template): Record<string, unknown> => {
  const lb = Object.values(t.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0] as Json;
  return Object.fromEntries(
    lb.Properties.LoadBalancerAttributes.map((a: Json) => [a.Key, a.Value]),
  );
};

test('internet-facing, in the given public subnets only', () => {
  const [lb] = Object.values(
    template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'),
  ) as Json[];
  expect(lb.Properties).toMatchObject({ Scheme: 'internet-facing', Type: 'application' });
  expect(JSON.stringify(lb.Properties.Subnets)).toMatch(
    /IngressSubnet1.*IngressSubnet2.*IngressSubnet3/,
  );
  expect(JSON.stringify(lb.Properties.Subnets)).not.toMatch(/Compute/);
});

test('HTTPS with the TLS 1.3/1.2 policy and the certificate; unmatched requests get a JSON 404', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Port: 443,
    Protocol: 'HTTPS',
    SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    Certificates: [{ CertificateArn: CERT }],
    DefaultActions: [
      {
        Type: 'fixed-response',
        FixedResponseConfig: Match.objectLike({
          StatusCode: '404',
          ContentType: 'application/json',
        }),
      },
    ],
  });
});

test('HTTP only redirects to HTTPS, and no third listener', () => {
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Port: 80,
    Protocol: 'HTTP',
    DefaultActions: [
      {
        Type: 'redirect',
        RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
      },
    ],
  });
});

test('the security group admits only 443 and 80, and sends nothing until a target attaches', () => {
  const groups = Object.values(
    template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('Internet-facing') },
    }),
  ) as Json[];
  expect(groups).toHaveLength(1);
  const ingress = groups[0].Properties.SecurityGroupIngress;
  expect(ingress.map((r: Json) => [r.CidrIp, r.FromPort, r.ToPort]).sort()).toEqual([
    ['0.0.0.0/0', 443, 443],
    ['0.0.0.0/0', 80, 80],
  ]);
  expect(groups[0].Properties.SecurityGroupEgress).toEqual([
    expect.objectContaining({ CidrIp: '255.255.255.255/32' }),
  ]);
});

test('access logs to the bucket, invalid headers dropped, strictest desync mitigation', () => {
  expect(attributes(template)).toMatchObject({
    'access_logs.s3.enabled': 'true',
    'access_logs.s3.bucket': { Ref: expect.stringMatching(/^AlbLogs/) },
    'access_logs.s3.prefix': 'alb',
    'routing.http.drop_invalid_header_fields.enabled': 'true',
    'routing.http.desync_mitigation_mode': 'strictest',
    'deletion_protection.enabled': 'true',
  });
  expect(attributes(build(false))['deletion_protection.enabled']).toBe('false');
});

test('the access logs bucket admits Elastic Load Balancing delivery of this account', () => {
  const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Json[];
  const writes = (policy.Properties.PolicyDocument.Statement as Json[]).filter(
    (s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:PutObject'),
  );
  expect(writes).not.toHaveLength(0);
  for (const s of writes) {
    expect(JSON.stringify(s.Resource)).toContain('/alb/AWSLogs/333333333333/*');
  }
});

test('an application target needs a condition: the default stays 404', () => {
  expect(() =>
    build(true, (lb) =>
      lb.addApplicationTarget('Orders', { priority: 10, targets: [], port: 8443 }),
    ),
  ).toThrow(/give hostHeaders or pathPatterns/);
});

test('an application target: HTTPS target group, a rule at its priority, the group opened', () => {
  const attached = build(true, (lb) =>
    lb.addApplicationTarget('Orders', {
      priority: 10,
      pathPatterns: ['/orders/*'],
      targets: [new targets.IpTarget('10.0.1.10')],
      port: 8443,
    }),
  );
  attached.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
    Port: 8443,
    Protocol: 'HTTPS',
    TargetType: 'ip',
  });
  attached.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
    Priority: 10,
    Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders/*'] } }],
    ListenerArn: { Ref: Match.stringLikeRegexp('^PublicLoadBalancerHttps') },
  });
});
