export { ApiGatewayDomainTls12 } from './apigateway/ApiGatewayDomainTls12';
export { ApiRouteAuthorization } from './apigateway/ApiRouteAuthorization';
export { backupCopyToOtherRegion } from './backup/BackupCopyToOtherRegion';
export { BackupPlanDailyRule } from './backup/BackupPlanDailyRule';
export { backupPlanMinimumRetention } from './backup/BackupPlanMinimumRetention';
export { backupRuleCopyAction } from './backup/BackupRuleCopyAction';
export { BackupVaultLocked } from './backup/BackupVaultLocked';
export { CloudFrontViewerTls12 } from './cloudfront/CloudFrontViewerTls12';
export { CloudTrailMultiRegionDataEvents } from './cloudtrail/CloudTrailMultiRegionDataEvents';
export { CognitoClientHardening } from './cognito/CognitoClientHardening';
export { CognitoTenantClientNoOperatorScope } from './cognito/CognitoTenantClientNoOperatorScope';
export type {
  EnvironmentDefinition,
  EnvironmentSettings,
  ResilienceScope,
} from './core/environments';
export { NOT_CHECKABLE_PREFIX, NotCheckableError } from './core/rule';
export type { IsoRule } from './core/rule';
export { DataStoreDeletionProtection } from './datastore/DataStoreDeletionProtection';
export { DataStoreReplacePolicy } from './datastore/DataStoreReplacePolicy';
export { DataStoreRetainPolicy } from './datastore/DataStoreRetainPolicy';
export { DynamoDBTableInBackupSelection } from './dynamodb/DynamoDBTableInBackupSelection';
export { DATABASE_PORTS, DatabasePortsWithinVpc } from './ec2/DatabasePortsWithinVpc';
export { NoInternetIngress, WEB_PORTS } from './ec2/NoInternetIngress';
export { NoOpenAdminPorts } from './ec2/NoOpenAdminPorts';
export {
  LoadBalancerListenerTls12,
  loadBalancerListenerTls12,
} from './elb/LoadBalancerListenerTls12';
export { LoadBalancerMultiSubnet } from './elb/LoadBalancerMultiSubnet';
export { IamNoAdminPolicy } from './iam/IamNoAdminPolicy';
export { ContainerImageScanning } from './ecr/ContainerImageScanning';
export { BREAK_GLASS_NAME, PrivilegedRoleMfaTrust } from './iam/PrivilegedRoleMfaTrust';
export {
  PRIVILEGED_MANAGED_POLICIES,
  WorkloadRoleNotPrivileged,
} from './iam/WorkloadRoleNotPrivileged';
export { AlarmTopicHasSubscription } from './monitoring/AlarmTopicHasSubscription';
export {
  auroraTenantPartitioning,
  DEFAULT_TENANT_PARTITIONING_TYPES,
} from './rds/AuroraTenantPartitioning';
export { DEFAULT_UPLOAD_BUCKET_TAG, uploadBucketMalwareScan } from './s3/UploadBucketMalwareScan';
export { DataStoreCustomerManagedKey } from './kms/DataStoreCustomerManagedKey';
export { kmsKeyDeletionWindow } from './kms/KmsKeyDeletionWindow';
export { LogGroupRetentionBounded } from './logs/LogGroupRetentionBounded';
export { logGroupRetentionMinimum } from './logs/LogGroupRetentionMinimum';
export { CloudWatchAlarmHasAction } from './monitoring/CloudWatchAlarmHasAction';
export { GuardDutyDetectorEnabled } from './monitoring/GuardDutyDetectorEnabled';
export { auroraGlobalDatabase } from './rds/AuroraGlobalDatabase';
export { AuroraPostgresForceSsl } from './rds/AuroraPostgresForceSsl';
export { DatabaseSecurityGroupSourcesOnly } from './rds/DatabaseSecurityGroupSourcesOnly';
export { DatabaseSubnetsIsolated } from './rds/DatabaseSubnetsIsolated';
export { RdsClusterIamAuth } from './rds/RdsClusterIamAuth';
export { RdsClusterInBackupSelection } from './rds/RdsClusterInBackupSelection';
export { RdsClusterMultiAz } from './rds/RdsClusterMultiAz';
export { S3BucketInBackupSelection } from './s3/S3BucketInBackupSelection';
export { S3BucketPublicAccessBlocked } from './s3/S3BucketPublicAccessBlocked';
export { s3CrossRegionReplication } from './s3/S3CrossRegionReplication';
export type { CrossRegionSettings } from './s3/S3CrossRegionReplication';
export { S3LifecycleExpiration } from './s3/S3LifecycleExpiration';
export { S3ObjectLockRetention } from './s3/S3ObjectLockRetention';
export { allowedRegion } from './stack/AllowedRegion';
export { noCrossEnvironmentReference } from './stack/NoCrossEnvironmentReference';
export { productionTerminationProtection } from './stack/ProductionTerminationProtection';
export { requiredTags } from './stack/RequiredTags';
export { stackInEnvironmentAccount } from './stack/StackInEnvironmentAccount';
