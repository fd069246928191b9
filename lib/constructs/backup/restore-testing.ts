import { Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { contract } from '../../../lambda/restore-validation/contract';
import { FAILED_METRIC, METRIC_NAMESPACE } from '../../../lambda/restore-validation/metrics';
import { INSTANCE_PREFIX } from '../../../lambda/restore-validation/trigger';
import {
  DATABASE_PORT,
  RESTORE_VALIDATION_ROLE,
  TENANT_DATABASE,
} from '../../../lambda/shared/database/names';
import { RUNTIME_CA_BUNDLE } from '../../../lambda/shared/database/settings';
import { functionLogGroup } from '../core/function-log-group';
import { PlatformFunction } from '../core/platform-function';
import { SUBNET_GROUPS } from '../core/subnet-groups';
import { RUNBOOKS, withRunbook } from '../core/runbooks';
import { acknowledge } from '../../compliance/acknowledge';
import { RestoreValidationAccess } from './restore-validation-access';

/** Small class for restored test clusters (the config has no field for it yet). */
export const RESTORE_TEST_INSTANCE_CLASS = 'db.t4g.medium';
/**
 * The login role of the validation query (created by the database bootstrap): NOBYPASSRLS, owns
 * nothing, SELECT on the restore sentinel only.
 */
export const RESTORE_TEST_DB_USER = RESTORE_VALIDATION_ROLE;
/** The database the validation query runs in. */
export const RESTORE_TEST_DATABASE = TENANT_DATABASE;

export interface RestoreTestingProps {
  /** Plan name (letters, digits, underscores: the API allows nothing else). */
  readonly planName: string;
  /** Schedule, `cron(...)` or `rate(...)`, UTC. */
  readonly schedule: string;
  /** This region's vault: only its recovery points are tested. */
  readonly vaultArn: string;
  /** Role AWS Backup restores with (and deletes the test resources with). */
  readonly restoreRole: iam.IRole;
  /** ARN of the Aurora cluster whose recovery points are tested. @default no Aurora selection */
  readonly auroraClusterArn?: string;
  /** The live cluster of this region, which the validation must never touch. @default none */
  readonly liveClusterArn?: string;
  /**
   * Resource id (`cluster-...`) of the live cluster: `rds-db:connect` to it is explicitly denied.
   * @default none (a region without a live cluster)
   */
  readonly liveClusterResourceId?: string;
  /** ARN of the bucket whose recovery points are tested. */
  readonly bucketArn: string;
  /** Key of the backed-up files; the validation reads restored objects through it. */
  readonly filesKey: kms.IKey;
  /** The VPC; restored clusters go to its isolated subnets, the validation Lambda to compute. */
  readonly vpc: ec2.IVpc;
  /**
   * How the validation reaches AWS APIs: the VPC's interface endpoints (Backup, RDS, X-Ray) and
   * the S3 gateway endpoint's prefix list; it has no other way out.
   */
  readonly apiEgress: {
    readonly endpointSecurityGroup: ec2.ISecurityGroup;
    readonly s3PrefixListId: string;
  };
  /**
   * DB subnet group (isolated subnets) of restored clusters, when one exists in the region.
   * @default a subnet group of the isolated subnets is created here, named `subnetGroupName`
   */
  readonly existingSubnetGroupName?: string;
  /** Name of the DB subnet group created here when there is no `existingSubnetGroupName`. */
  readonly subnetGroupName: string;
  /** Key of the Lambda's log group. */
  readonly logsKey: kms.IKey;
  /** Retention of the Lambda's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Name of the Lambda's log group. */
  readonly logGroupName: string;
  /** On-call topic: failed validations and Lambda errors alarm here. */
  readonly topic: sns.ITopic;
  /** Key of the on-call topic (the function publishes events it could not process there). */
  readonly topicKey: kms.IKey;
}

/**
 * Restore testing as code: an AWS Backup restore testing plan on the configured schedule over this
 * region's vault, with selections for Aurora (restored into the isolated subnets, a security group
 * of their own, a small instance class) and S3; a validation Lambda triggered on restore-job
 * completion that checks the restored resource against the platform's sentinels and reports with
 * PutRestoreValidationResult; alarms on failed validations and on Lambda errors.
 *
 * The validation runs in its own box: its own security group, which only the restored clusters'
 * own group admits (no shared group, no self-referencing rule, and the live database admits
 * neither), and its own database role (`restore_validator`), whose `rds-db:connect` to the live
 * cluster is explicitly denied.
 */
export class RestoreTesting extends Construct {
  readonly plan: backup.CfnRestoreTestingPlan;
  readonly selections: backup.CfnRestoreTestingSelection[] = [];
  readonly validator: lambda.IFunction;
  /** The subnet group created for restored clusters (only without `existingSubnetGroupName`). */
  readonly subnetGroup?: rds.SubnetGroup;
  /** The validation Lambda's own group: egress only to restored clusters and HTTPS. */
  readonly validatorSecurityGroup: ec2.SecurityGroup;
  /** The restored clusters' own group: PostgreSQL only from the validator's group, no egress. */
  readonly restoredClusterSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: RestoreTestingProps) {
    super(scope, id);
    this.plan = new backup.CfnRestoreTestingPlan(this, 'Plan', {
      restoreTestingPlanName: props.planName,
      scheduleExpression: props.schedule,
      startWindowHours: 4,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.vaultArn],
        recoveryPointTypes: ['SNAPSHOT', 'CONTINUOUS'],
        selectionWindowDays: 7,
      },
    });

    this.subnetGroup =
      props.existingSubnetGroupName === undefined ? this.ownSubnetGroup(props) : undefined;
    const subnetGroupName =
      props.existingSubnetGroupName ?? (this.subnetGroup as rds.SubnetGroup).subnetGroupName;
    this.validatorSecurityGroup = new ec2.SecurityGroup(this, 'ValidatorSecurityGroup', {
      vpc: props.vpc,
      description:
        'Restore validation Lambda: PostgreSQL to restored test clusters, HTTPS to VPC endpoints',
      allowAllOutbound: false,
    });
    this.restoredClusterSecurityGroup = new ec2.SecurityGroup(
      this,
      'RestoredClusterSecurityGroup',
      {
        vpc: props.vpc,
        description:
          'Clusters restored by restore testing: PostgreSQL from the restore validation only',
        allowAllOutbound: false,
      },
    );
    this.restoredClusterSecurityGroup.addIngressRule(
      this.validatorSecurityGroup,
      ec2.Port.tcp(DATABASE_PORT),
      'PostgreSQL from the restore validation Lambda',
    );
    this.validatorSecurityGroup.addEgressRule(
      this.restoredClusterSecurityGroup,
      ec2.Port.tcp(DATABASE_PORT),
      'PostgreSQL to restored test clusters',
    );
    this.validatorSecurityGroup.addEgressRule(
      props.apiEgress.endpointSecurityGroup,
      ec2.Port.tcp(443),
      'HTTPS to the interface endpoints (backup, rds, xray)',
    );
    this.validatorSecurityGroup.addEgressRule(
      ec2.Peer.prefixList(props.apiEgress.s3PrefixListId),
      ec2.Port.tcp(443),
      'HTTPS to the S3 gateway endpoint (restored buckets)',
    );

    if (props.auroraClusterArn) {
      this.select('AuroraSelection', props, 'Aurora', props.auroraClusterArn, 6, {
        dbsubnetgroupname: subnetGroupName,
        vpcsecuritygroupids: Stack.of(this).toJsonString([
          this.restoredClusterSecurityGroup.securityGroupId,
        ]),
        dbinstanceclass: RESTORE_TEST_INSTANCE_CLASS,
      });
    }
    this.select('S3Selection', props, 'S3', props.bucketArn, 2);

    this.validator = this.validationFunction(props);
    this.alarms(props);
  }

  private ownSubnetGroup(props: RestoreTestingProps): rds.SubnetGroup {
    const group = new rds.SubnetGroup(this, 'Subnets', {
      vpc: props.vpc,
      subnetGroupName: props.subnetGroupName,
      description: 'Isolated subnets for clusters restored by restore testing',
      vpcSubnets: { subnetGroupName: SUBNET_GROUPS.isolated },
    });
    acknowledge(
      group,
      'ISO.27001.2022',
      'ISO.27001.2022-DatabaseSubnetsIsolated-NotCheckable[SubnetIds.0]',
      'The subnets are the VPC subnet group "Database" (PRIVATE_ISOLATED, no route to an internet ' +
        'or NAT gateway, NACL admitting only the VPC range), selected by name; their ids are ' +
        'Network stack outputs that the check cannot resolve at synth time.',
    );
    return group;
  }

  private select(
    id: string,
    props: RestoreTestingProps,
    resourceType: 'Aurora' | 'S3',
    resourceArn: string,
    validationWindowHours: number,
    overrides?: Record<string, string>,
  ): void {
    const selection = new backup.CfnRestoreTestingSelection(this, id, {
      restoreTestingPlanName: this.plan.restoreTestingPlanName,
      restoreTestingSelectionName: `${resourceType.toLowerCase()}_selection`,
      protectedResourceType: resourceType,
      protectedResourceArns: [resourceArn],
      iamRoleArn: props.restoreRole.roleArn,
      validationWindowHours,
      restoreMetadataOverrides: overrides,
    });
    selection.node.addDependency(this.plan);
    this.selections.push(selection);
  }

  private validationFunction(props: RestoreTestingProps): lambda.IFunction {
    // Made before the function: the role below grants on it.
    const logGroup = functionLogGroup(this, 'ValidatorLogs', {
      name: props.logGroupName,
      key: props.logsKey,
      retention: props.logRetention,
    });
    const access = new RestoreValidationAccess(this, 'Access', {
      logGroup,
      filesKey: props.filesKey,
      deadLetterTopic: props.topic,
      deadLetterKey: props.topicKey,
      dbUser: RESTORE_TEST_DB_USER,
      instanceClass: RESTORE_TEST_INSTANCE_CLASS,
      liveClusterArn: props.liveClusterArn,
      liveClusterResourceId: props.liveClusterResourceId,
    });
    const validator = new PlatformFunction(this, 'Validator', {
      contract,
      description: 'Validates resources restored by AWS Backup restore testing',
      memorySize: 512,
      timeout: Duration.minutes(5),
      reservedConcurrency: 5,
      invocation: 'event',
      logGroup,
      role: access.role.withoutPolicyUpdates(),
      deadLetterTopic: props.topic,
      retryAttempts: 2,
      vpc: props.vpc,
      securityGroup: this.validatorSecurityGroup,
      // The tested SDK versions, and rds-signer, which the runtime lacks.
      bundleAwsSdk: true,
      environment: {
        RESTORE_TESTING_PLAN_ARN: this.plan.attrRestoreTestingPlanArn,
        INSTANCE_CLASS: RESTORE_TEST_INSTANCE_CLASS,
        DB_NAME: RESTORE_TEST_DATABASE,
        DB_USER: RESTORE_TEST_DB_USER,
        NODE_EXTRA_CA_CERTS: RUNTIME_CA_BUNDLE,
      },
    });
    const fn = validator.function;
    // The role's ARN (GetAtt) already orders the function after it; the L2's DependsOn is redundant.
    (fn.node.defaultChild as lambda.CfnFunction).addDeletionOverride('DependsOn');

    new events.Rule(this, 'OnRestoreJobCompleted', {
      description:
        'Restore-testing jobs of this plan that completed: validate the restored resource',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Restore Job State Change'],
        detail: {
          status: ['COMPLETED'],
          restoreTestingPlanArn: [this.plan.attrRestoreTestingPlanArn],
        },
      },
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 2 })],
    });
    new events.Rule(this, 'OnValidationInstanceCreated', {
      description: 'The instance added to a restored cluster is up: run the query',
      eventPattern: {
        source: ['aws.rds'],
        detailType: ['RDS DB Instance Event'],
        detail: {
          EventID: ['RDS-EVENT-0005'],
          SourceIdentifier: [{ prefix: INSTANCE_PREFIX }],
        },
      },
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 2 })],
    });
    return fn;
  }

  private alarms(props: RestoreTestingProps): void {
    const action = new actions.SnsAction(props.topic);
    const failed = new cloudwatch.Alarm(this, 'ValidationFailedAlarm', {
      alarmDescription: withRunbook(
        'A restore test restored a resource that failed validation',
        RUNBOOKS.restoreTests,
      ),
      metric: new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: FAILED_METRIC,
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const errors = new cloudwatch.Alarm(this, 'ValidatorErrorsAlarm', {
      alarmDescription: withRunbook(
        'The restore validation Lambda failed (no result reported): see its log group',
        RUNBOOKS.restoreTests,
      ),
      metric: this.validator.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [failed, errors]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
