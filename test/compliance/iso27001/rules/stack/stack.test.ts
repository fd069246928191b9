import { App, Aspects, Stack, Tags } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  allowedRegion,
  noCrossEnvironmentReference,
  productionTerminationProtection,
  requiredTags,
  stackInEnvironmentAccount,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { testApp } from '../../../../support/app';
import {
  cfn,
  COMPLIANT,
  newStack,
  NON_COMPLIANT,
  NOT_APPLICABLE,
  PROD_ACCOUNT,
} from '../rule-harness';

const ENVIRONMENTS = {
  dev: { account: '111111111111' },
  test: { account: '222222222222' },
  prod: { account: PROD_ACCOUNT, production: true },
};

describe('requiredTags', () => {
  const rule = requiredTags(['Owner', 'Environment']);
  it('passes a resource with every tag and names the missing ones', () => {
    const stack = newStack();
    const tagged = new sqs.CfnQueue(stack, 'Tagged', {
      tags: [
        { key: 'Owner', value: 'platform' },
        { key: 'Environment', value: 'prod' },
      ],
    });
    expect(rule(tagged)).toBe(COMPLIANT);
    const partly = new sqs.CfnQueue(stack, 'Partly', {
      tags: [{ key: 'Owner', value: 'platform' }],
    });
    expect(rule(partly)).toEqual(['Environment']);
  });
  it('is not applicable to untaggable resources or without configured tags', () => {
    const stack = newStack();
    expect(rule(cfn(stack, 'Raw', 'AWS::SQS::Queue'))).toBe(NOT_APPLICABLE);
    expect(requiredTags(undefined)(new sqs.CfnQueue(stack, 'Q'))).toBe(NOT_APPLICABLE);
  });
});

describe('allowedRegion', () => {
  it('reports once per stack, on its first resource', () => {
    const app = testApp();
    const inside = newStack({ app, id: 'In' });
    const outside = newStack({
      app,
      id: 'Out',
      env: { account: PROD_ACCOUNT, region: 'us-east-1' },
    });
    const rule = allowedRegion(['ap-southeast-2', 'ap-southeast-4']);
    const first = cfn(inside, 'A', 'AWS::SQS::Queue');
    const second = cfn(inside, 'B', 'AWS::SQS::Queue');
    expect(rule(first)).toBe(COMPLIANT);
    expect(rule(second)).toBe(NOT_APPLICABLE);
    expect(rule(cfn(outside, 'A', 'AWS::SQS::Queue'))).toBe(NON_COMPLIANT);
  });
  it('reports an env-agnostic stack as not checkable', () => {
    const stack = new Stack(new App(), 'Agnostic');
    expect(allowedRegion(['ap-southeast-2'])(cfn(stack, 'A', 'AWS::SQS::Queue'))).toEqual([
      'NotCheckable:Stack.Region',
    ]);
  });
});

describe('stackInEnvironmentAccount', () => {
  const rule = stackInEnvironmentAccount({ environments: ENVIRONMENTS });
  it('passes a prod stack in the prod account and fails a dev stack there', () => {
    expect(rule(cfn(newStack({ tags: { Environment: 'prod' } }), 'A', 'AWS::SQS::Queue'))).toBe(
      COMPLIANT,
    );
    expect(rule(cfn(newStack({ tags: { Environment: 'dev' } }), 'A', 'AWS::SQS::Queue'))).toBe(
      NON_COMPLIANT,
    );
    expect(
      rule(cfn(newStack({ tags: { Environment: 'staging' } }), 'A', 'AWS::SQS::Queue')),
    ).toEqual(['UnknownEnvironment']);
  });
  it('reads the environment tag that Tags.of(stack) puts on the resources (explicitStackTags)', () => {
    const stack = newStack();
    const queue = new sqs.CfnQueue(stack, 'Q');
    Tags.of(stack).add('Environment', 'dev');
    // what synthesis does before validation plugins run (without a full synth: it is slow)
    for (const construct of stack.node.findAll()) {
      for (const aspect of Aspects.of(stack).all) aspect.visit(construct);
    }
    expect(stack.tags.tagValues()).toEqual({});
    expect(rule(queue)).toBe(NON_COMPLIANT); // a dev stack in the prod account
  });

  it('uses environmentOf when given, and reports a stack with no environment as not checkable', () => {
    const byName = stackInEnvironmentAccount({
      environments: ENVIRONMENTS,
      environmentOf: (s) => s.stackName.split('-')[0],
    });
    expect(byName(cfn(newStack({ id: 'prod-apse2-Data' }), 'A', 'AWS::SQS::Queue'))).toBe(
      COMPLIANT,
    );
    expect(rule(cfn(newStack(), 'A', 'AWS::SQS::Queue'))).toEqual([
      'NotCheckable:Stack.Tags.Environment',
    ]);
  });
});

describe('noCrossEnvironmentReference', () => {
  const rule = noCrossEnvironmentReference({ environments: ENVIRONMENTS });
  it("passes a prod resource naming prod's account and names the other environment referenced", () => {
    const stack = newStack({ tags: { Environment: 'prod' } });
    expect(
      rule(
        cfn(stack, 'Own', 'AWS::SNS::Topic', {
          KmsMasterKeyId: `arn:aws:kms:ap-southeast-2:${PROD_ACCOUNT}:alias/k`,
        }),
      ),
    ).toBe(COMPLIANT);
    expect(
      rule(
        cfn(stack, 'Other', 'AWS::SNS::Topic', {
          KmsMasterKeyId: 'arn:aws:kms:ap-southeast-2:111111111111:alias/k',
        }),
      ),
    ).toEqual(['dev']);
  });
});

describe('productionTerminationProtection', () => {
  const rule = productionTerminationProtection({ environments: ENVIRONMENTS });
  it('passes a protected prod stack, fails an unprotected one, and skips dev', () => {
    expect(
      rule(
        cfn(
          newStack({ tags: { Environment: 'prod' }, terminationProtection: true }),
          'A',
          'AWS::SQS::Queue',
        ),
      ),
    ).toBe(COMPLIANT);
    expect(rule(cfn(newStack({ tags: { Environment: 'prod' } }), 'A', 'AWS::SQS::Queue'))).toBe(
      NON_COMPLIANT,
    );
    expect(rule(cfn(newStack({ tags: { Environment: 'dev' } }), 'A', 'AWS::SQS::Queue'))).toBe(
      NOT_APPLICABLE,
    );
  });
});
