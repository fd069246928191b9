import { Template } from 'aws-cdk-lib/assertions';
import type { DnsFailoverProps } from '../../../lib/constructs/ingress/dns-failover';
import { DnsFailover } from '../../../lib/constructs/ingress/dns-failover';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NAMES: DnsFailoverProps['names'] = [
  {
    id: 'app',
    domainName: 'app.logistics.example.com',
    targetDnsName: 'alb-123.ap-southeast-2.elb.amazonaws.com',
    targetHostedZoneId: 'Z1GM3OXH4ZPM65',
    evaluateTargetHealth: true,
  },
  {
    id: 'api',
    domainName: 'api.logistics.example.com',
    targetDnsName: 'd-abc.execute-api.ap-southeast-2.amazonaws.com',
    targetHostedZoneId: 'Z2RPCDW04V8134',
  },
];

function build(props: Partial<DnsFailoverProps> = {}) {
  const stack = bareStack();
  new DnsFailover(stack, 'Dns', {
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'logistics.example.com',
    failover: 'PRIMARY',
    setIdentifier: 'ap-southeast-2',
    namePrefix: 'logi-prod-ap-southeast-2-ingress',
    names: NAMES,
    field: 'environments.prod.monitoring.hostedZone',
    ...props,
  });
  const template = Template.fromStack(stack);
  const of = (type: string) =>
    Object.entries(template.findResources(type)).map(([id, r]) => ({ id, ...(r as Json) }) as Json);
  return { records: of('AWS::Route53::RecordSet'), checks: of('AWS::Route53::HealthCheck') };
}

test('each name: a failover alias carrying the health check of its regional endpoint', () => {
  const { records, checks } = build();
  expect(records).toHaveLength(2);
  expect(checks).toHaveLength(2);
  for (const [i, name] of NAMES.entries()) {
    const record = records[i].Properties;
    expect(record).toMatchObject({
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      Name: `${name.domainName}.`,
      Type: 'A',
      Failover: 'PRIMARY',
      SetIdentifier: 'ap-southeast-2',
      AliasTarget: {
        DNSName: name.targetDnsName,
        HostedZoneId: name.targetHostedZoneId,
        EvaluateTargetHealth: name.id === 'app',
      },
    });
    const check = checks.find((c) => c.id === record.HealthCheckId['Fn::GetAtt'][0]);
    expect(check?.Properties.HealthCheckConfig).toEqual({
      Type: 'TCP',
      FullyQualifiedDomainName: name.targetDnsName,
      Port: 443,
      RequestInterval: 10,
      FailureThreshold: 3,
    });
  }
});

test('the secondary region answers only when the primary fails', () => {
  const { records } = build({ failover: 'SECONDARY', setIdentifier: 'ap-southeast-4' });
  expect(records.map((r) => r.Properties.Failover)).toEqual(['SECONDARY', 'SECONDARY']);
  expect(records.map((r) => r.Properties.SetIdentifier)).toEqual([
    'ap-southeast-4',
    'ap-southeast-4',
  ]);
});

test('a name outside the zone is refused with the field and the fix', () => {
  expect(() => build({ zoneName: 'other.example.org' })).toThrow(
    /environments\.prod\.monitoring\.hostedZone\.zoneName: app\.logistics\.example\.com is not inside the hosted zone other\.example\.org\. Fix:/,
  );
});
