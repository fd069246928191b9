import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { HARDENED_USER_POOL } from '../../../lib/constructs/security/hardened-user-pool';
import { bareStack } from '../../support/bare-stack';

function build() {
  const stack = bareStack();
  new cognito.UserPool(stack, 'Pool', { ...HARDENED_USER_POOL });
  return Template.fromStack(stack);
}

test('admin-created users only, TOTP MFA required, e-mail recovery only', () => {
  build().hasResourceProperties('AWS::Cognito::UserPool', {
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    MfaConfiguration: 'ON',
    EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
  });
});

test('14+ character passwords of every class, history of 12, temporary passwords for 3 days', () => {
  build().hasResourceProperties('AWS::Cognito::UserPool', {
    Policies: {
      PasswordPolicy: {
        MinimumLength: 14,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 3,
        PasswordHistorySize: 12,
      },
    },
  });
});

test('threat protection enforced (Plus plan), deletion protection, retained', () => {
  build().hasResource('AWS::Cognito::UserPool', {
    Properties: {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    },
    DeletionPolicy: 'Retain',
  });
});
