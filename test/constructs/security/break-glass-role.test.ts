import { Match, Template } from 'aws-cdk-lib/assertions';
import { BreakGlassRole } from '../../../lib/constructs/security/break-glass-role';
import { bareStack, TEST_ACCOUNT } from '../../support/bare-stack';
import type { Decision } from '../../support/iam-simulation';
import { decideAndRecord, resolve } from '../../support/iam-simulation';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const OFFICER = `arn:aws:iam::${TEST_ACCOUNT}:user/break-glass-officer`;
const ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/platform-break-glass`;

const stack = bareStack();
new BreakGlassRole(stack, 'BreakGlass', {
  roleName: 'platform-break-glass',
  trustedUsers: [OFFICER],
  maxSessionHours: 1,
});
const template = Template.fromStack(stack);
const role = Object.values(template.findResources('AWS::IAM::Role'))[0] as Json;

describe('BreakGlassRole', () => {
  it('is created by the platform, named, tagged, with sessions of at most one hour', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'platform-break-glass',
      MaxSessionDuration: 3600,
      Tags: Match.arrayWith([{ Key: 'BreakGlass', Value: 'true' }]),
    });
  });

  it('trusts only the named users, with MFA used in the last hour', () => {
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': [OFFICER] },
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
        },
      }),
    ]);
  });

  describe('trust policy (decisions by the IAM policy simulator)', () => {
    const trust = resolve(
      role.Properties.AssumeRolePolicyDocument,
      {},
      {
        account: TEST_ACCOUNT,
        region: 'ap-southeast-2',
      },
    );
    const mfa = { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '120' };
    const admin = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    };
    const cases: [string, string, Record<string, string>, Decision][] = [
      ['named user with MFA', OFFICER, mfa, 'Allowed'],
      [
        'named user without MFA',
        OFFICER,
        { 'aws:MultiFactorAuthPresent': 'false' },
        'ImplicitlyDenied',
      ],
      [
        'named user, MFA two hours old',
        OFFICER,
        { ...mfa, 'aws:MultiFactorAuthAge': '7200' },
        'ImplicitlyDenied',
      ],
      [
        'administrator role of the account with MFA',
        `arn:aws:iam::${TEST_ACCOUNT}:role/Administrator`,
        mfa,
        'ImplicitlyDenied',
      ],
      [
        'another user of the account with MFA',
        `arn:aws:iam::${TEST_ACCOUNT}:user/mallory`,
        mfa,
        'ImplicitlyDenied',
      ],
      [
        'a same-named user of another account with MFA',
        'arn:aws:iam::999999999999:user/break-glass-officer',
        mfa,
        'ImplicitlyDenied',
      ],
    ];
    it.each(cases)('%s -> %s', async (who, principal, context, expected) => {
      const got = await decideAndRecord(
        'break-glass',
        who,
        {
          principal,
          action: 'sts:AssumeRole',
          resource: ROLE_ARN,
          resourceAccount: TEST_ACCOUNT,
          // The caller's own permissions allow everything: only the trust policy decides.
          identityPolicies: [{ name: 'AdministratorAccess', policy: admin }],
          resourcePolicy: trust,
          context,
        },
        expected,
      );
      expect(got).toBe(expected);
    });
  });
});
