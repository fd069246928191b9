import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';

/**
 * The settings every platform user pool shares, operators' and tenants' alike: no self sign-up,
 * e-mail sign-in, TOTP MFA required, 14+ character passwords with history, e-mail recovery only,
 * threat protection (Plus plan, full function), deletion protection and retained on removal.
 */
export const HARDENED_USER_POOL = {
  selfSignUpEnabled: false,
  signInAliases: { email: true },
  signInCaseSensitive: false,
  mfa: cognito.Mfa.REQUIRED,
  mfaSecondFactor: { otp: true, sms: false },
  passwordPolicy: {
    minLength: 14,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidity: Duration.days(3),
    passwordHistorySize: 12,
  },
  accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
  featurePlan: cognito.FeaturePlan.PLUS,
  standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
  deletionProtection: true,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies Partial<cognito.UserPoolProps>;
