/** What the validation core needs, read at init from the contract (see contract.ts). */
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
