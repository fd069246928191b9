import type { CfnElement } from 'aws-cdk-lib';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CREATED_BY_TAG } from '../../../lambda/restore-validation/aurora-check';
import { INSTANCE_PREFIX } from '../../../lambda/restore-validation/trigger';
import { acknowledge } from '../../compliance/acknowledge';
import { XRAY_ACTIONS } from '../core/platform-function';

export interface RestoreValidationAccessProps {
  /** The function's log group. */
  readonly logGroup: logs.ILogGroup;
  /** Key of the backed-up files: restored objects are read through it. */
  readonly filesKey: kms.IKey;
  /** Topic receiving events the function could not process, and its key. */
  readonly deadLetterTopic: sns.ITopic;
  /** Key of the dead-letter topic. */
  readonly deadLetterKey: kms.IKey;
  /** Login role of the validation query. */
  readonly dbUser: string;
  /** Class of the instance the function may add to a restored cluster. */
  readonly instanceClass: string;
  /**
   * The live cluster: explicitly denied, whatever the patterns above match.
   * @default none
   */
  readonly liveClusterArn?: string;
  /**
   * The live cluster's resource id: `rds-db:connect` to it is explicitly denied, as every user.
   * @default none
   */
  readonly liveClusterResourceId?: string;
}

/** Prefix AWS Backup restore testing gives the resources it restores. */
export const RESTORE_TEST_PREFIX = 'awsbackup-restore-test-';

/**
 * The restore validation Lambda's role, with one customer-managed policy (no AWS managed policy,
 * no inline policy): write its own log group; network interfaces in the VPC; read the restore job
 * and report its validation; describe restore-test clusters, add a small tagged instance to one and
 * remove only instances it tagged; log in as the restore validation role with IAM auth; read
 * restore-test buckets of its own account through the files key; publish unprocessable events to
 * on-call. Never the live cluster: modifying it, adding an instance and connecting are denied.
 */
export class RestoreValidationAccess extends Construct {
  readonly role: iam.Role;
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: RestoreValidationAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const rdsArn = (resource: string, name: string) =>
      stack.formatArn({
        service: 'rds',
        resource,
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const restoredClusters = rdsArn('cluster', `${RESTORE_TEST_PREFIX}*`);
    const ownInstances = rdsArn('db', `${INSTANCE_PREFIX}*`);
    const dbUser = stack.formatArn({
      service: 'rds-db',
      resource: 'dbuser',
      resourceName: `*/${props.dbUser}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const restoredBuckets = `arn:${stack.partition}:s3:::${RESTORE_TEST_PREFIX}*`;
    const tagged = { [`aws:RequestTag/${CREATED_BY_TAG.Key}`]: CREATED_BY_TAG.Value };

    const statements = [
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [props.logGroup.logGroupArn, `${props.logGroup.logGroupArn}:*`],
      }),
      new iam.PolicyStatement({
        // The role is given to the function immutable; active tracing needs these.
        sid: 'XRayTraces',
        actions: XRAY_ACTIONS,
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'VpcNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'RestoreJobs',
        actions: ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'RestoredClusters',
        actions: ['rds:DescribeDBClusters', 'rds:ModifyDBCluster'],
        resources: [restoredClusters],
      }),
      new iam.PolicyStatement({
        sid: 'DescribeOwnInstances',
        actions: ['rds:DescribeDBInstances'],
        resources: [ownInstances],
      }),
      new iam.PolicyStatement({
        sid: 'AddSmallTaggedInstance',
        actions: ['rds:CreateDBInstance'],
        resources: [ownInstances, restoredClusters],
        conditions: { StringEquals: { ...tagged, 'rds:DatabaseClass': props.instanceClass } },
      }),
      new iam.PolicyStatement({
        sid: 'TagOwnInstances',
        actions: ['rds:AddTagsToResource'],
        resources: [ownInstances],
        conditions: { StringEquals: tagged },
      }),
      new iam.PolicyStatement({
        sid: 'RemoveOwnInstances',
        actions: ['rds:DeleteDBInstance'],
        resources: [ownInstances],
        conditions: {
          StringEquals: { [`aws:ResourceTag/${CREATED_BY_TAG.Key}`]: CREATED_BY_TAG.Value },
        },
      }),
      new iam.PolicyStatement({
        sid: 'ConnectAsValidationRole',
        actions: ['rds-db:connect'],
        resources: [dbUser],
      }),
      new iam.PolicyStatement({
        sid: 'ReadRestoredBucketsOfThisAccount',
        // ListBucket so that a missing sentinel answers NoSuchKey rather than AccessDenied.
        actions: ['s3:ListBucket', 's3:GetObject'],
        resources: [restoredBuckets, `${restoredBuckets}/*`],
        conditions: { StringEquals: { 'aws:ResourceAccount': stack.account } },
      }),
      new iam.PolicyStatement({
        sid: 'DecryptRestoredFiles',
        actions: ['kms:Decrypt'],
        resources: [props.filesKey.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'DeadLetters',
        actions: ['sns:Publish'],
        resources: [props.deadLetterTopic.topicArn],
      }),
      new iam.PolicyStatement({
        sid: 'DeadLettersKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.deadLetterKey.keyArn],
      }),
    ];
    if (props.liveClusterArn) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'NeverTheLiveCluster',
          effect: iam.Effect.DENY,
          actions: ['rds:ModifyDBCluster', 'rds:CreateDBInstance', 'rds:DeleteDBCluster'],
          resources: [props.liveClusterArn],
        }),
      );
    }
    if (props.liveClusterResourceId) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'NeverConnectToTheLiveCluster',
          effect: iam.Effect.DENY,
          actions: ['rds-db:connect'],
          resources: [
            stack.formatArn({
              service: 'rds-db',
              resource: 'dbuser',
              resourceName: `${props.liveClusterResourceId}/*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
    }
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Restore validation: check resources restored by restore testing',
      statements,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Restore validation Lambda: checks resources restored by restore testing',
      managedPolicies: [this.policy],
    });

    const logGroupId = stack.getLogicalId(props.logGroup.node.defaultChild as CfnElement);
    const wildcards: Record<string, string> = {
      'Resource::*':
        'Only actions without resource-level permissions: the VPC network-interface calls Lambda ' +
        'makes for a function in a VPC, the X-Ray calls of active tracing (statement XRayTraces), ' +
        'and backup:DescribeRestoreJob/PutRestoreValidationResult, ' +
        'which the function applies only to jobs whose CreatedBy names its own restore testing plan.',
      [`Resource::<${logGroupId}.Arn>:*`]:
        'The wildcard covers only the log streams of the function’s own log group, whose names ' +
        'the Lambda service generates at run time.',
      [`Resource::${restoredClusters}`]:
        'Restore testing names restored clusters with a random suffix at run time; the pattern ' +
        'matches only restore-test clusters and the live cluster is explicitly denied.',
      [`Resource::${ownInstances}`]:
        'Only instances this function creates (its own name prefix); creation requires the ' +
        'created-by tag and the small instance class, deletion requires that tag on the instance.',
      [`Resource::${dbUser}`]:
        'rds-db:connect as the one login role restore_validator (NOBYPASSRLS, owns nothing, SELECT ' +
        'on the restore sentinel only); the restored cluster’s resource id is generated at restore ' +
        'time; connecting to the live cluster is explicitly denied in this policy, and only the ' +
        'restored clusters’ own security group admits this function’s group.',
      [`Resource::${restoredBuckets}`]:
        'Read-only, on buckets of this account (aws:ResourceAccount) whose names restore testing ' +
        'generates at run time with this prefix.',
      [`Resource::${restoredBuckets}/*`]:
        'Read-only GET of objects in restore-test buckets of this account (aws:ResourceAccount), ' +
        'whose names restore testing generates at run time with this prefix.',
    };
    for (const [finding, reason] of Object.entries(wildcards)) {
      acknowledge(this.policy, 'AwsSolutions', `AwsSolutions-IAM5[${finding}]`, reason);
    }
  }
}
