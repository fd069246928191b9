import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { grantKeyThrough } from '../../../lib/constructs/core/key-use';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('the key is usable only through the named service of the role own region', () => {
  const stack = bareStack();
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:ap-southeast-2:333333333333:key/data');
  grantKeyThrough(key, role, 'dynamodb', ['kms:Decrypt', 'kms:GenerateDataKey']);
  const [policy] = Object.values(
    Template.fromStack(stack).findResources('AWS::IAM::Policy'),
  ) as Json[];
  expect(policy.Properties.PolicyDocument.Statement).toEqual([
    {
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: 'arn:aws:kms:ap-southeast-2:333333333333:key/data',
      Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.ap-southeast-2.amazonaws.com' } },
    },
  ]);
});
