import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { rules } from 'cdk-nag';
import { controlOfRule } from '../../../../../packages/cdk-iso27001/src/iso27001/controls';
import { cfn, COMPLIANT, newStack, NON_COMPLIANT } from '../rule-harness';

/**
 * The cdk-nag rules the pack reuses as they are, each with a compliant and a non-compliant
 * fixture, so a change in cdk-nag's behaviour shows up here.
 */
describe('reused cdk-nag rules', () => {
  it('are each mapped to one Annex A control', () => {
    const reused = [
      rules.s3.S3BucketSSLRequestsOnly,
      rules.s3.S3BucketLoggingEnabled,
      rules.cognito.CognitoUserPoolMFA,
      rules.cloudtrail.CloudTrailLogFileValidationEnabled,
      rules.vpc.VPCFlowLogsEnabled,
      rules.elb.ELBLoggingEnabled,
      rules.kms.KMSBackingKeyRotationEnabled,
    ];
    expect(reused.map((r) => controlOfRule(r.name).id)).toEqual([
      'A.8.12',
      'A.8.15',
      'A.8.5',
      'A.8.15',
      'A.8.15',
      'A.8.15',
      'A.8.24',
    ]);
  });

  it('S3BucketSSLRequestsOnly: enforceSSL passes, no policy fails', () => {
    const stack = newStack();
    const tls = new s3.Bucket(stack, 'Tls', { enforceSSL: true });
    expect(rules.s3.S3BucketSSLRequestsOnly(tls.node.defaultChild as s3.CfnBucket)).toBe(COMPLIANT);
    const plain = new s3.Bucket(stack, 'Plain');
    expect(rules.s3.S3BucketSSLRequestsOnly(plain.node.defaultChild as s3.CfnBucket)).toBe(
      NON_COMPLIANT,
    );
  });

  it('S3BucketLoggingEnabled: access logs pass (and their target), none fails', () => {
    const stack = newStack();
    const target = new s3.Bucket(stack, 'Logs');
    const logged = new s3.Bucket(stack, 'Logged', { serverAccessLogsBucket: target });
    expect(rules.s3.S3BucketLoggingEnabled(logged.node.defaultChild as s3.CfnBucket)).toBe(
      COMPLIANT,
    );
    expect(rules.s3.S3BucketLoggingEnabled(target.node.defaultChild as s3.CfnBucket)).toBe(
      COMPLIANT,
    );
    const bare = new s3.Bucket(stack, 'Bare');
    expect(rules.s3.S3BucketLoggingEnabled(bare.node.defaultChild as s3.CfnBucket)).toBe(
      NON_COMPLIANT,
    );
    // cdk-nag's rules test L1 classes: a raw CfnResource of the same type is not applicable to them
    expect(rules.s3.S3BucketLoggingEnabled(cfn(stack, 'Raw', 'AWS::S3::Bucket'))).toBe('N/A');
  });

  it('CognitoUserPoolMFA: required passes, optional fails', () => {
    const stack = newStack();
    const required = new cognito.UserPool(stack, 'Req', {
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
    });
    const optional = new cognito.UserPool(stack, 'Opt', {
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
    });
    expect(
      rules.cognito.CognitoUserPoolMFA(required.node.defaultChild as cognito.CfnUserPool),
    ).toBe(COMPLIANT);
    expect(
      rules.cognito.CognitoUserPoolMFA(optional.node.defaultChild as cognito.CfnUserPool),
    ).toBe(NON_COMPLIANT);
  });

  it('CloudTrailLogFileValidationEnabled: the L2 default passes, validation off fails', () => {
    const stack = newStack();
    const trail = new cloudtrail.Trail(stack, 'Trail');
    expect(
      rules.cloudtrail.CloudTrailLogFileValidationEnabled(
        trail.node.defaultChild as cloudtrail.CfnTrail,
      ),
    ).toBe(COMPLIANT);
    const off = new cloudtrail.CfnTrail(stack, 'Off', {
      isLogging: true,
      s3BucketName: 'b',
      enableLogFileValidation: false,
    });
    expect(rules.cloudtrail.CloudTrailLogFileValidationEnabled(off)).toBe(NON_COMPLIANT);
  });

  it('VPCFlowLogsEnabled: a VPC with a flow log passes, one without fails', () => {
    const stack = newStack();
    const logged = new ec2.Vpc(stack, 'Logged', {
      maxAzs: 1,
      natGateways: 0,
      flowLogs: { all: {} },
    });
    const bare = new ec2.Vpc(stack, 'Bare', { maxAzs: 1, natGateways: 0 });
    expect(rules.vpc.VPCFlowLogsEnabled(logged.node.defaultChild as ec2.CfnVPC)).toBe(COMPLIANT);
    expect(rules.vpc.VPCFlowLogsEnabled(bare.node.defaultChild as ec2.CfnVPC)).toBe(NON_COMPLIANT);
  });

  it('ELBLoggingEnabled: an ALB with access logs passes, one without fails', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const logged = new elbv2.ApplicationLoadBalancer(stack, 'Logged', { vpc });
    logged.logAccessLogs(
      new s3.Bucket(stack, 'AlbLogs', { encryption: s3.BucketEncryption.S3_MANAGED }),
    );
    const bare = new elbv2.ApplicationLoadBalancer(stack, 'Bare', { vpc });
    expect(rules.elb.ELBLoggingEnabled(logged.node.defaultChild as elbv2.CfnLoadBalancer)).toBe(
      COMPLIANT,
    );
    expect(rules.elb.ELBLoggingEnabled(bare.node.defaultChild as elbv2.CfnLoadBalancer)).toBe(
      NON_COMPLIANT,
    );
  });

  it('KMSBackingKeyRotationEnabled: rotation on passes, off fails', () => {
    const stack = newStack();
    const on = new kms.Key(stack, 'On', { enableKeyRotation: true });
    const off = new kms.Key(stack, 'Off', { enableKeyRotation: false });
    expect(rules.kms.KMSBackingKeyRotationEnabled(on.node.defaultChild as kms.CfnKey)).toBe(
      COMPLIANT,
    );
    expect(rules.kms.KMSBackingKeyRotationEnabled(off.node.defaultChild as kms.CfnKey)).toBe(
      NON_COMPLIANT,
    );
  });
});
