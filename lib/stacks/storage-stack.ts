import { Tags } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { regionShort } from '../config';
import { acknowledgeAccessLogDelivery } from '../constructs/core/access-log-delivery';
import { BACKUP_AUDIT_TAG } from '../constructs/core/backup-audit-tag';
import { FileStore } from '../constructs/storage/file-store';
import { RestoreSentinelObject } from '../constructs/storage/restore-sentinel-object';
import { TenantFileAccess } from '../constructs/storage/tenant-file-access';
import { TenantSession } from '../constructs/storage/tenant-session';
import { UploadMalwareScan } from '../constructs/storage/upload-malware-scan';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';
import type { SecurityStack } from './security-stack';

export interface StorageStackProps extends PlatformStackProps {
  readonly security: SecurityStack;
}

/**
 * Tenants' files in one region: the versioned, object-locked file bucket (the primary region's
 * replicates to the secondary's), logging to the Security stack's access-logs bucket.
 */
export class StorageStack extends PlatformStack {
  readonly files: FileStore;
  /**
   * The managed policy of the tenant session role: a session tagged `tenant-id=X` reads and
   * writes only `tenants/X/`; a session without the tag is denied the bucket.
   */
  readonly tenantAccess: TenantFileAccess;
  /** The tenant session role and the token-vending function that alone may assume and tag it. */
  readonly tenantSession: TenantSession;
  /** GuardDuty Malware Protection for S3 on the file bucket (uploads from the mobile app). */
  readonly malwareScan: UploadMalwareScan;

  constructor(scope: Construct, props: StorageStackProps) {
    super(scope, 'Storage', {
      ...props,
      description: `Files of ${props.target.envName} in ${props.target.region}: tenant file bucket, access logs`,
    });
    const { target, names } = this;
    const { storage } = target.env;
    const peer = target.peerRegion;
    this.files = new FileStore(this, 'Files', {
      bucketName: names.filesBucket,
      key: props.security.keys.files.key,
      accessLogsBucket: s3.Bucket.fromBucketName(this, 'AccessLogs', names.accessLogsBucket),
      objectLock: { mode: storage.objectLockMode, days: storage.objectLockDays },
      noncurrentTransitionDays: storage.noncurrentTransitionDays,
      noncurrentExpirationDays: storage.noncurrentExpirationDays,
      replication:
        target.role === 'primary' && peer
          ? {
              bucketName: names.inRegion(peer).filesBucket,
              region: peer,
              keyAlias: names.inRegion(peer).keyAlias('files'),
              replicationTimeControl: storage.replicationTimeControl,
            }
          : undefined,
      protection: {
        breakGlassRoleArn: props.security.breakGlassRoleArn,
        deploymentRoleArn: this.deploymentRoleArn,
      },
    });
    if (peer) {
      // The other region's archive worker deletes the versions it archived here too (the
      // primary's normally, the secondary's while it is the database writer). A role of another
      // region's stack cannot be referenced: its CloudFormation-generated name, by prefix.
      const peerLifecycle = `${target.envName}-${regionShort(peer)}-Lifecycle`;
      this.files.protection.allowVersionDeletion(
        `arn:${this.partition}:iam::${this.account}:role/${peerLifecycle}-WorkersArchiveRole*`,
      );
    }
    acknowledgeAccessLogDelivery(this.files.bucket);
    this.malwareScan = new UploadMalwareScan(this, 'MalwareScan', {
      bucket: this.files.bucket,
      key: props.security.keys.files.key,
      uploadSource: 'tenant-apps',
    });
    this.tenantAccess = new TenantFileAccess(this, 'TenantFileAccess', {
      bucket: this.files.bucket,
      encryptionKey: props.security.keys.files.key,
      allowWrite: true,
      description: `Tenant-scoped (tag tenant-id) access to ${names.filesBucket}`,
    });
    const tenantPool = props.security.tenantIdentity;
    this.tenantSession = new TenantSession(this, 'TenantSession', {
      fileAccess: this.tenantAccess,
      issuer: {
        issuerUrl: tenantPool.issuerUrl,
        clientIds: [tenantPool.appClient.userPoolClientId],
      },
      registryTableName: names.tenantTable,
      registryKey: props.security.keys.database.key,
      logsKey: this.logsKey.key,
      logRetention: target.env.logRetentionDays as logs.RetentionDays,
    });
    // Every region's plan backs up its file bucket (the secondary's: what it receives after a
    // failover replicates nowhere), so the audit controls evaluate it in every region.
    Tags.of(this.files).add(BACKUP_AUDIT_TAG.key, BACKUP_AUDIT_TAG.value);
    if (target.role === 'primary') {
      // Restore validation fails a restored file bucket without this object.
      new RestoreSentinelObject(this, 'RestoreSentinel', {
        bucket: this.files.bucket,
        key: props.security.keys.files.key,
        logsKey: this.logsKey.key,
        logRetention: target.env.logRetentionDays as logs.RetentionDays,
      });
    }
    this.addStackDependency(props.security, 'server access logs go to the Security stack bucket');
  }
}
