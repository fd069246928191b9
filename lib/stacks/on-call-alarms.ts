import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { monitoringThresholds } from '../config/monitoring-schema';
import { BackupJobAlarms } from '../constructs/backup/backup-job-alarms';
import { ServiceAlarms } from '../constructs/compute/service-alarms';
import { FunctionAlarms } from '../constructs/core/function-alarms';
import type { AlarmTarget } from '../constructs/core/on-call-alarm';
import { ReplicationAlarms } from '../constructs/core/replication-alarms';
import { IngressAlarms } from '../constructs/ingress/ingress-alarms';
import { QueueAgeAlarms } from '../constructs/lifecycle/queue-age-alarms';
import type { BackupStack } from './backup-stack';
import type { ComputeStack } from './compute-stack';
import type { DataStack } from './data-stack';
import type { IngressStack } from './ingress-stack';
import type { LifecycleStack } from './lifecycle-stack';
import type { PlatformStack } from './platform-stack';
import type { SecurityStack } from './security-stack';
import type { StorageStack } from './storage-stack';

/** The stacks of one environment and region that alarms are added to (lib/platform.ts's RegionStacks). */
export interface AlarmedRegion {
  readonly security: SecurityStack;
  readonly data?: DataStack;
  readonly storage: StorageStack;
  readonly backup: BackupStack;
  readonly ingress: IngressStack;
  readonly lifecycle: LifecycleStack;
  readonly compute: ComputeStack;
}

/** Operational alarms of a stack: `<app>-<env>-<region>-<component>-<what>`. */
function operational(region: AlarmedRegion, stack: PlatformStack): AlarmTarget {
  return {
    topic: region.security.onCall.topic,
    namePrefix: stack.names.physical(stack.component.toLowerCase()),
  };
}

/**
 * The alarms on the failure modes of one environment and region that the stacks do not make
 * themselves, added to the stack of the resource they watch, each through `onCallAlarm` (named,
 * a runbook link, the on-call topic). The stacks' own alarms: DatabaseAlarms (Data),
 * LifecycleAlarms (Lifecycle), restore testing (Backup), trail alarms (Security). Call after every
 * stack of the region is built: FunctionAlarms covers the functions present at that moment.
 */
export function addOnCallAlarms(region: AlarmedRegion, stacks: readonly PlatformStack[]): void {
  const { ingress, compute, storage, lifecycle, backup } = region;
  const target = ingress.target;
  const peer = target.peerRegion;
  const thresholds = monitoringThresholds(target.env.monitoring);
  const loadBalancer = ingress.loadBalancer.loadBalancer;

  new IngressAlarms(ingress, 'OnCallAlarms', {
    operational: operational(region, ingress),
    security: {
      topic: region.security.onCall.securityTopic,
      namePrefix: ingress.names.physical('ingress'),
    },
    loadBalancer,
    webAclMetricName: ingress.names.physical('web-acl'),
    rateLimitPer5Minutes: target.env.ingress.rateLimitPer5Minutes,
    adminApi: ingress.adminApi.api,
    ...thresholds,
  });

  new ServiceAlarms(compute, 'ServiceAlarms', {
    target: operational(region, compute),
    services: {
      documents: {
        targetGroup: compute.documents.targetGroup,
        loadBalancerFullName: loadBalancer.loadBalancerFullName,
      },
    },
  });

  if (target.role === 'primary' && peer) {
    new ReplicationAlarms(storage, 'ReplicationAlarms', {
      target: operational(region, storage),
      name: 'files',
      sourceBucketName: storage.names.filesBucket,
      destinationBucketName: storage.names.inRegion(peer).filesBucket,
      replicationTimeControl: target.env.storage.replicationTimeControl,
    });
    new ReplicationAlarms(lifecycle, 'ReplicationAlarms', {
      target: operational(region, lifecycle),
      name: 'archive',
      sourceBucketName: lifecycle.names.archiveBucket,
      destinationBucketName: lifecycle.names.inRegion(peer).archiveBucket,
      // The archive bucket's replication always has RTC (lib/constructs/lifecycle/archive-bucket.ts).
      replicationTimeControl: true,
    });
  }
  if (lifecycle.workers) {
    new QueueAgeAlarms(lifecycle, 'QueueAgeAlarms', {
      target: operational(region, lifecycle),
      queues: {
        'archive-jobs': lifecycle.workers.archiveJobs,
        'purge-jobs': lifecycle.workers.purgeJobs,
      },
    });
  }

  new BackupJobAlarms(backup, 'JobAlarms', {
    target: operational(region, backup),
    vaultName: backup.names.backupVault,
  });

  for (const stack of stacks) {
    // Everything of the Security stack (the tenant token trigger's functions) pages security.
    const target =
      stack === region.security
        ? {
            topic: region.security.onCall.securityTopic,
            namePrefix: stack.names.physical('security'),
          }
        : operational(region, stack);
    new FunctionAlarms(stack, 'FunctionAlarms', { target });
  }
}

/** Every alarm of a stack (for the dashboard and the tests). */
export function alarmsOf(stack: PlatformStack): cloudwatch.Alarm[] {
  return stack.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);
}
