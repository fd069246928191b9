import * as iam from 'aws-cdk-lib/aws-iam';
import {
  auroraTenantPartitioning,
  PrivilegedRoleMfaTrust,
  WorkloadRoleNotPrivileged,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import {
  cfn,
  COMPLIANT,
  newStack,
  NON_COMPLIANT,
  NOT_APPLICABLE,
  PROD_ACCOUNT,
} from '../rule-harness';

const ROOT = `arn:aws:iam::${PROD_ACCOUNT}:root`;

describe('PrivilegedRoleMfaTrust', () => {
  it('passes a role people assume only with MFA', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Auditor', {
      assumedBy: new iam.AccountPrincipal(PROD_ACCOUNT).withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
    });
    expect(PrivilegedRoleMfaTrust(role.node.defaultChild as iam.CfnRole)).toBe(COMPLIANT);
  });

  it('fails a role people assume without MFA, or with BoolIfExists', () => {
    const stack = newStack();
    const plain = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    expect(PrivilegedRoleMfaTrust(plain.node.defaultChild as iam.CfnRole)).toEqual([
      'AssumeRolePolicyDocument.Statement.0',
    ]);
    const ifExists = cfn(stack, 'IfExists', 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: ROOT },
            Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ],
      },
    });
    expect(PrivilegedRoleMfaTrust(ifExists)).toEqual(['AssumeRolePolicyDocument.Statement.0']);
  });

  it('holds a break-glass role to MFA whoever it admits; ignores service roles', () => {
    const stack = newStack();
    const breakGlass = cfn(stack, 'BreakGlass', 'AWS::IAM::Role', {
      RoleName: 'logi-prod-break-glass',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRoleWithSAML',
            Principal: { Federated: 'arn:aws:iam::333333333333:saml-provider/idp' },
          },
        ],
      },
    });
    expect(PrivilegedRoleMfaTrust(breakGlass)).toEqual(['AssumeRolePolicyDocument.Statement.0']);
    const fn = new iam.Role(stack, 'Fn', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    expect(PrivilegedRoleMfaTrust(fn.node.defaultChild as iam.CfnRole)).toBe(NOT_APPLICABLE);
  });

  it('treats a role of the same stack as a role principal, and a user of the stack as a person', () => {
    const stack = newStack();
    const vending = new iam.Role(stack, 'Vending', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const chained = new iam.Role(stack, 'Chained', {
      assumedBy: new iam.ArnPrincipal(vending.roleArn),
    });
    expect(PrivilegedRoleMfaTrust(chained.node.defaultChild as iam.CfnRole)).toBe(NOT_APPLICABLE);
    const person = new iam.User(stack, 'Person');
    const assumedByUser = new iam.Role(stack, 'ForUser', {
      assumedBy: new iam.ArnPrincipal(person.userArn),
    });
    expect(PrivilegedRoleMfaTrust(assumedByUser.node.defaultChild as iam.CfnRole)).toEqual([
      'AssumeRolePolicyDocument.Statement.0',
    ]);
  });
});

describe('WorkloadRoleNotPrivileged', () => {
  it('passes a function role with a scoped policy', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Fn', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }),
    );
    expect(WorkloadRoleNotPrivileged(role.node.defaultChild as iam.CfnRole)).toBe(COMPLIANT);
    const policy = role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
    expect(WorkloadRoleNotPrivileged(policy)).toBe(COMPLIANT);
  });

  it('fails AdministratorAccess, PowerUserAccess and iam:* on a workload role', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Fn', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess'),
      ],
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:*'], resources: ['*'] }));
    expect(WorkloadRoleNotPrivileged(role.node.defaultChild as iam.CfnRole)).toEqual([
      'ManagedPolicyArns.0',
      'ManagedPolicyArns.2',
    ]);
    const policy = role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
    expect(WorkloadRoleNotPrivileged(policy)).toEqual(['PolicyDocument.Statement.0']);
  });

  it('leaves roles people assume to PrivilegedRoleMfaTrust', () => {
    const role = new iam.Role(newStack(), 'Admin', {
      assumedBy: new iam.AccountRootPrincipal(),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
    });
    expect(WorkloadRoleNotPrivileged(role.node.defaultChild as iam.CfnRole)).toBe(NOT_APPLICABLE);
  });
});

describe('AuroraTenantPartitioning', () => {
  const rule = auroraTenantPartitioning();
  const cluster = (stack: ReturnType<typeof newStack>, id: string, extra = {}) =>
    cfn(stack, id, 'AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      MasterUsername: 'admin',
      ...extra,
    });

  it('passes a cluster the bootstrap custom resource points at', () => {
    const stack = newStack();
    const db = cluster(stack, 'Db');
    cfn(stack, 'Baseline', 'Custom::TenantPartitioningBaseline', {
      ServiceToken: 'arn:aws:lambda:ap-southeast-2:333333333333:function:f',
      Endpoint: db.getAtt('Endpoint.Address'),
    });
    expect(rule(db)).toBe(COMPLIANT);
  });

  it('fails a writable cluster without it; a global secondary is not applicable', () => {
    const stack = newStack();
    const db = cluster(stack, 'Db');
    const other = cluster(stack, 'Other');
    cfn(stack, 'Baseline', 'Custom::TenantPartitioningBaseline', {
      Endpoint: other.getAtt('Endpoint.Address'),
    });
    expect(rule(db)).toBe(NON_COMPLIANT);
    const secondary = cfn(stack, 'Secondary', 'AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      GlobalClusterIdentifier: 'logi-prod-global-aurora',
    });
    expect(rule(secondary)).toBe(NOT_APPLICABLE);
    expect(auroraTenantPartitioning([])(db)).toBe(NOT_APPLICABLE);
  });
});
