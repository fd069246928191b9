/**
 * Why an operator deactivates or reactivates a tenant, or changes its plan, modules or settings: a
 * closed list of codes, stored in the registry and the append-only audit table. Codes, not free text, so that no personal data (a
 * customer's name, a phone call) can enter a record that is never deleted; at most 32 characters.
 */
export const REASON_CODES = [
  'CONTRACT_ENDED',
  'CUSTOMER_REQUEST',
  'NON_PAYMENT',
  'SECURITY_INCIDENT',
  'TERMS_VIOLATION',
  'MIGRATED',
  'TEST_TENANT',
  'CONTRACT_RENEWED',
  'PAYMENT_RECEIVED',
  'DEACTIVATED_IN_ERROR',
  'PLAN_CHANGED',
  'MODULES_CHANGED',
  'SETTINGS_CORRECTED',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && (REASON_CODES as readonly string[]).includes(value);
}
