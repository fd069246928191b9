import { Match } from 'aws-cdk-lib/assertions';

/**
 * The TLS-only part of a bucket policy, for `hasResourceProperties('AWS::S3::BucketPolicy', ...)`:
 * every principal is denied every S3 action without TLS, and with TLS older than 1.2.
 */
export const TLS_ONLY_BUCKET_POLICY = {
  PolicyDocument: {
    Statement: Match.arrayWith([
      Match.objectLike({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
      Match.objectLike({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      }),
    ]),
  },
};
