import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  acknowledgeAll,
  acknowledgeWhile,
  awsManagedPolicy,
  iamWildcardResource,
  internetIngressOnly,
  WITHDRAWN_ACKNOWLEDGEMENT,
} from '../../lib/compliance/acknowledge';
import { testApp } from '../support/app';

const REASON = 'A compensating control described at length, long enough to pass the reason check.';

test('IAM finding ids carry the partition as the <AWS::Partition> token cdk-nag writes', () => {
  expect(awsManagedPolicy('service-role/AWS_ConfigRole')).toBe(
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
  );
  expect(iamWildcardResource('s3:::bucket/*')).toBe(
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::bucket/*]',
  );
});

test('acknowledgeAll puts every finding, with the one reason, on the one resource', () => {
  const stack = new Stack(testApp(), 'Acks');
  const bucket = new s3.Bucket(stack, 'Bucket');
  acknowledgeAll(
    bucket,
    [
      ['ISO.27001.2022', 'ISO.27001.2022-S3CrossRegionReplication'],
      ['NIST.800.53.R5', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
    ],
    REASON,
  );
  const entries = bucket.node.defaultChild!.node.metadata.filter(
    (m) => m.type === 'aws:cdk:acknowledged-rules',
  );
  expect(Object.assign({}, ...entries.map((e) => e.data))).toEqual({
    'ISO.27001.2022::ISO.27001.2022-S3CrossRegionReplication': REASON,
    'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled': REASON,
  });
  expect(bucket.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')).toEqual([]);
  expect(() => acknowledgeAll(bucket, [['AwsSolutions', 'AwsSolutions-S1']], 'short')).toThrow(
    /reason must state the compensating control/,
  );
});

describe('acknowledgeWhile', () => {
  function withGroup(openPorts: number[]) {
    const app = testApp();
    const stack = new Stack(app, 'Acks', {
      env: { account: '333333333333', region: 'ap-southeast-2' },
    });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
    const group = new ec2.SecurityGroup(stack, 'Group', { vpc, allowAllOutbound: false });
    acknowledgeWhile(
      group,
      'AwsSolutions',
      'AwsSolutions-EC23',
      REASON,
      internetIngressOnly([{ protocol: 'tcp', fromPort: 443, toPort: 443 }]),
    );
    for (const port of openPorts) group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port));
    const assembly = app.synth();
    const cfn = group.node.defaultChild!;
    const acknowledged = cfn.node.metadata
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .flatMap((m) => Object.keys(m.data as Record<string, string>));
    const warnings = assembly
      .getStackArtifact(stack.artifactId)
      .messages.filter((m) => m.id === `/${cfn.node.path}`)
      .map((m) => String(m.entry.data));
    return { acknowledged, warnings };
  }

  it('acknowledges at synth while the claim holds, ingress added after the call included', () => {
    const { acknowledged, warnings } = withGroup([443]);
    expect(acknowledged).toEqual(['AwsSolutions::AwsSolutions-EC23']);
    expect(warnings.filter((w) => w.includes(WITHDRAWN_ACKNOWLEDGEMENT))).toEqual([]);
  });

  it('acknowledges nothing and warns, naming what broke the claim, when it no longer holds', () => {
    const { acknowledged, warnings } = withGroup([443, 22]);
    expect(acknowledged).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /Acknowledgement of AwsSolutions::AwsSolutions-EC23 withdrawn: .*\(ingress tcp 22-22 from the internet\)/,
      ),
    ]);
  });

  it('refuses a short reason at the call, like acknowledge()', () => {
    const stack = new Stack(testApp(), 'Short');
    const bucket = new s3.Bucket(stack, 'Bucket');
    expect(() =>
      acknowledgeWhile(bucket, 'AwsSolutions', 'AwsSolutions-S1', 'short', () => undefined),
    ).toThrow(/reason must state the compensating control/);
  });
});
