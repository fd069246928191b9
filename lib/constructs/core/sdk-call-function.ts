import { Stack } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

/**
 * The findings on the CDK's one `AwsCustomResource` function of a stack, acknowledged once with
 * what it does (`what`): it runs only during deployments, outside the VPC.
 */
export function acknowledgeSdkCallFunction(scope: Construct, what: string): void {
  const singletonId = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
  const fn = Stack.of(scope).node.findChild(singletonId);
  const deployOnly = `CDK-provided function that runs only during deployments of this stack and ${what}; it handles no tenant data`;
  acknowledge(
    fn.node.findChild('ServiceRole'),
    'AwsSolutions',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    `${deployOnly}; the AWS-managed policy grants only CloudWatch Logs writes.`,
  );
  acknowledge(
    fn,
    'NIST.800.53.R5',
    'NIST.800.53.R5-LambdaConcurrency',
    `${deployOnly}; CloudFormation invokes it once per create or update, never the public.`,
  );
  acknowledge(
    fn,
    'NIST.800.53.R5',
    'NIST.800.53.R5-LambdaDLQ',
    `${deployOnly}; CloudFormation invokes it synchronously and a failure fails the deployment.`,
  );
  const outsideVpc = `${deployOnly}; it calls a regional AWS API from outside the VPC.`;
  acknowledge(fn, 'NIST.800.53.R5', 'NIST.800.53.R5-LambdaInsideVPC', outsideVpc);
  acknowledge(fn, 'cdk-validator-cfnguard', 'lambda_inside_vpc_check', outsideVpc);
}
