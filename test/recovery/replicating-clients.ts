import type { S3Client } from '@aws-sdk/client-s3';
import { AwsClients } from '../../lib/recovery';

/**
 * The CLI's clients against moto, with what moto lacks and the faults a test injects.
 *
 * moto implements no replication: it never answers `x-amz-replication-status`. A test that plays
 * S3 replication (writes the same object in the replica bucket) marks the version it wrote with
 * `markReplica`; HeadObject of that version then carries the header `x-amz-replication-status:
 * REPLICA`, as S3 answers for a replica, added to moto's raw HTTP answer before the SDK parses
 * it. The command under test reads it as it reads S3's: the SDK's own deserializer turns it
 * into `ReplicationStatus`.
 *
 * `failNth(command, n)`: the n-th call of that command (counted across regions) fails like a
 * dropped connection, before it reaches moto.
 */
export class ReplicatingClients extends AwsClients {
  private readonly replicas = new Set<string>();
  private readonly faults = new Map<string, { nth: number; seen: number }>();

  markReplica(bucket: string, key: string, versionId: string): void {
    this.replicas.add(`${bucket}/${key}@${versionId}`);
  }

  failNth(commandName: string, nth: number): this {
    this.faults.set(commandName, { nth, seen: 0 });
    return this;
  }

  override s3(region: string): S3Client {
    const client = super.s3(region);
    if (client.middlewareStack.identify().some((m) => m.startsWith('replicationStatus'))) {
      return client;
    }
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const fault = this.faults.get(context.commandName ?? '');
        if (fault && ++fault.seen === fault.nth) {
          throw new Error(`socket hang up (injected: ${context.commandName} #${fault.nth})`);
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectFault' },
    );
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { Bucket?: string; Key?: string; VersionId?: string };
        const id = `${input.Bucket}/${input.Key}@${input.VersionId}`;
        if (context.commandName === 'HeadObjectCommand' && this.replicas.has(id)) {
          (result.response as { headers: Record<string, string> }).headers[
            'x-amz-replication-status'
          ] = 'REPLICA';
        }
        return result;
      },
      // Inside the deserializer: this sees moto's raw answer, which the SDK then parses.
      { step: 'deserialize', priority: 'low', name: 'replicationStatus' },
    );
    return client;
  }
}
