/**
 * The pack's policy: the minimums its rules check, with the defaults that apply when a prop is
 * omitted and the floors below which the pack refuses to be configured. A prop tightens (a higher
 * minimum) or relaxes (a lower one, never below its floor) a default explicitly.
 */

/** The minimums of the ISO 27001 pack. */
export interface Iso27001Policy {
  /** Minimum days a CloudWatch log group keeps events (`LogGroupRetentionMinimum`). */
  readonly minimumLogRetentionDays: number;
  /** Minimum days a backup rule or copy keeps recovery points (`BackupPlanMinimumRetention`). */
  readonly minimumBackupRetentionDays: number;
  /** Minimum KMS key deletion window in days (`KmsKeyDeletionWindow`). */
  readonly minimumKeyDeletionWindowDays: number;
}

/**
 * The defaults, chosen so a reviewer accepts them without a policy of the organisation's own:
 * one year of logs (the period most audit regimes ask to keep online), 30 days of backups (a
 * month of restore points to recover from a slow-burning incident), and the 30-day key deletion
 * window (the AWS maximum: the longest time to notice and cancel a scheduled deletion).
 */
export const ISO27001_DEFAULT_POLICY: Iso27001Policy = {
  minimumLogRetentionDays: 365,
  minimumBackupRetentionDays: 30,
  minimumKeyDeletionWindowDays: 30,
};

/**
 * The floors: the pack refuses a policy below these. 90 days of logs (investigations start weeks
 * after an intrusion), 7 days of backups (one week of daily restore points) and a 7-day key
 * deletion window (the AWS minimum).
 */
export const ISO27001_POLICY_FLOORS: Iso27001Policy = {
  minimumLogRetentionDays: 90,
  minimumBackupRetentionDays: 7,
  minimumKeyDeletionWindowDays: 7,
};

/** The tags `RequiredTags` asks for when `requiredTags` is not given: owner, environment, classification. */
export const ISO27001_DEFAULT_REQUIRED_TAGS: readonly string[] = [
  'Owner',
  'Environment',
  'DataClassification',
];

/** Upper bounds that are limits of AWS, not policy. */
const CEILINGS: Partial<Iso27001Policy> = { minimumKeyDeletionWindowDays: 30 };

/** The problems of a (partial) policy: each names the field, the floor and the fix. */
export function policyProblems(policy: Partial<Iso27001Policy>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(ISO27001_POLICY_FLOORS) as (keyof Iso27001Policy)[]) {
    const value = policy[key];
    if (value === undefined) continue;
    const floor = ISO27001_POLICY_FLOORS[key];
    const ceiling = CEILINGS[key];
    if (!Number.isInteger(value)) {
      problems.push(`${key} must be a whole number of days (got ${String(value)})`);
    } else if (value < floor) {
      problems.push(
        `${key} is ${value} days, below the pack's floor of ${floor}: raise it to at least ${floor}`,
      );
    } else if (ceiling !== undefined && value > ceiling) {
      problems.push(`${key} is ${value} days, above the AWS limit of ${ceiling}: lower it`);
    }
  }
  return problems;
}

/** The effective policy: the defaults, overridden by the given values, checked against the floors. */
export function resolvePolicy(policy: Partial<Iso27001Policy>): Iso27001Policy {
  const problems = policyProblems(policy);
  if (problems.length > 0) {
    throw new Error(`Invalid ISO 27001 pack policy: ${problems.join('; ')}.`);
  }
  const defined = Object.fromEntries(
    Object.entries(policy).filter(([, value]) => value !== undefined),
  ) as Partial<Iso27001Policy>;
  return { ...ISO27001_DEFAULT_POLICY, ...defined };
}
