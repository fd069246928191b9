import { DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  globalClusterWriter,
  postgresWriter,
  standaloneWriter,
} from '../../../../lambda/shared/lifecycle/writer-region';

const ids = {
  globalClusterIdentifier: 'logi-prod-global-aurora',
  clusterIdentifier: 'logi-prod-apse4-aurora',
};
const member = (cluster: string, IsWriter: boolean) => ({
  DBClusterArn: `arn:aws:rds:ap-southeast-4:1:cluster:${cluster}`,
  IsWriter,
});

function rdsAnswering(members: ReturnType<typeof member>[] | undefined) {
  const rds = new RDSClient({ region: 'ap-southeast-4' });
  mockClient(rds)
    .on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: ids.globalClusterIdentifier })
    .resolves({
      GlobalClusters: members
        ? [{ GlobalClusterIdentifier: ids.globalClusterIdentifier, GlobalClusterMembers: members }]
        : [],
    });
  return rds;
}

test('the member named by this region is the writer, or is not; a cluster whose name only ends alike is not it', async () => {
  const writer = globalClusterWriter(
    rdsAnswering([member('logi-prod-apse2-aurora', false), member('logi-prod-apse4-aurora', true)]),
    ids,
  );
  await expect(writer()).resolves.toMatchObject({ writer: true });
  const secondary = globalClusterWriter(
    rdsAnswering([member('logi-prod-apse2-aurora', true), member('logi-prod-apse4-aurora', false)]),
    ids,
  );
  await expect(secondary()).resolves.toEqual({
    writer: false,
    detail:
      'logi-prod-apse4-aurora is a secondary (read-only) of global cluster logi-prod-global-aurora',
  });
  const lookalike = globalClusterWriter(
    rdsAnswering([member('x-logi-prod-apse4-aurora', true)]),
    ids,
  );
  await expect(lookalike()).rejects.toThrow(/does not list cluster logi-prod-apse4-aurora/);
});

test('a global cluster that is missing or lacks this region fails loudly (never a silent "not the writer")', async () => {
  await expect(globalClusterWriter(rdsAnswering(undefined), ids)()).rejects.toThrow(
    /global cluster logi-prod-global-aurora does not list cluster logi-prod-apse4-aurora of this region \(members: none\)/,
  );
});

test('standalone: always the writer; postgres: a non-boolean answer is an error', async () => {
  await expect(standaloneWriter('logi-dev-apse2-aurora')()).resolves.toMatchObject({
    writer: true,
  });
  const odd = { query: async () => ({ rows: [{ in_recovery: 'f' }] }) };
  await expect(postgresWriter(odd, 'db')).rejects.toThrow(/pg_is_in_recovery\(\) on db returned f/);
});
