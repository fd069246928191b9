/** What the validation handler needs from its environment, checked once at init. */
export interface ValidationSettings {
  /** ARN of the restore testing plan whose jobs this function validates (`RESTORE_TESTING_PLAN_ARN`). */
  readonly restoreTestingPlanArn: string;
  /** Class of the instance added to a restored cluster that has none (`INSTANCE_CLASS`). */
  readonly instanceClass: string;
  /** Database to query on a restored cluster (`DB_NAME`). */
  readonly database: string;
  /** Role to log in as, with IAM authentication (`DB_USER`). */
  readonly user: string;
  /** Region, for signing IAM auth tokens (`AWS_REGION`, set by Lambda). */
  readonly region: string;
}

/** Reads and checks the environment; throws one error listing every problem. */
export function readSettings(
  env: Readonly<Record<string, string | undefined>>,
): ValidationSettings {
  const problems: string[] = [];
  const restoreTestingPlanArn = env.RESTORE_TESTING_PLAN_ARN ?? '';
  if (
    !/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:restore-testing-plan:.+$/.test(restoreTestingPlanArn)
  ) {
    problems.push(
      `RESTORE_TESTING_PLAN_ARN must be a restore testing plan ARN (got "${restoreTestingPlanArn}")`,
    );
  }
  const instanceClass = env.INSTANCE_CLASS ?? '';
  if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceClass)) {
    problems.push(
      `INSTANCE_CLASS must be an instance class such as db.t4g.medium (got "${instanceClass}")`,
    );
  }
  const database = env.DB_NAME ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(database)) {
    problems.push(`DB_NAME must be a database name (got "${database}")`);
  }
  const user = env.DB_USER ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(user)) {
    problems.push(`DB_USER must be a role name (got "${user}")`);
  }
  const region = env.AWS_REGION ?? '';
  if (!region) problems.push('AWS_REGION is not set');
  // Node.js 20+ Lambda runtimes trust the RDS CAs only through NODE_EXTRA_CA_CERTS.
  if (!env.NODE_EXTRA_CA_CERTS) {
    problems.push(
      'NODE_EXTRA_CA_CERTS must be set (to /var/runtime/ca-cert.pem) to trust the RDS CAs',
    );
  }
  if (problems.length) {
    throw new Error(`restore-validation configuration is invalid: ${problems.join('; ')}`);
  }
  return { restoreTestingPlanArn, instanceClass, database, user, region };
}
