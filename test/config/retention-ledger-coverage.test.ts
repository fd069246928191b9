import { DEFAULT_CONFIG } from '../../lib/config';
import { regionShort } from '../../lib/config/regions';
import { retentionLedger } from '../../lib/config/retention-ledger';
import {
  coverageOf,
  STORE_COVERAGE,
  STORE_TYPES,
} from '../../lib/config/retention-ledger-coverage';
import { synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';

/**
 * Every store the synthesized platform creates that can hold a tenant's bytes has its row in the
 * retention ledger of its environment (or is classified as holding none, with the reason).
 */
const all = templates(synthesizeDefaultPlatform().dir) as Record<
  string,
  { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }
>;
const ledger = retentionLedger(DEFAULT_CONFIG);
const envOf = (stackId: string) => stackId.split('-')[0]!;
const inSecondary = (stackId: string) => {
  const secondary = DEFAULT_CONFIG.environments[envOf(stackId)]?.secondaryRegion;
  return secondary !== undefined && stackId.split('-')[1] === regionShort(secondary);
};

const stores = Object.entries(all).flatMap(([stackId, template]) =>
  Object.entries(template.Resources)
    .filter(([, r]) => STORE_TYPES.includes(r.Type))
    .map(([logicalId, r]) => ({ stackId, logicalId, resource: r })),
);

test('the synthesized platform has stores of every kind the coverage lists', () => {
  const types = new Set(stores.map((s) => s.resource.Type));
  for (const type of ['AWS::S3::Bucket', 'AWS::Cognito::UserPool', 'AWS::Logs::LogGroup']) {
    expect(types).toContain(type);
  }
  expect(stores.length).toBeGreaterThan(50);
});

test('every store is classified exactly once, and each ledger row it names exists in its environment', () => {
  const problems: string[] = [];
  for (const { stackId, logicalId, resource } of stores) {
    const matches = coverageOf(resource.Type, logicalId);
    if (matches.length !== 1) {
      problems.push(
        `${stackId}/${logicalId} (${resource.Type}): ${matches.length} classifications`,
      );
      continue;
    }
    const covered = matches[0]!.covered;
    if (!('row' in covered)) continue;
    const rows = ledger.environments.find((e) => e.name === envOf(stackId))?.rows ?? [];
    const wanted = inSecondary(stackId) ? (covered.secondaryRow ?? covered.row) : covered.row;
    if (!rows.some((r) => r.store.startsWith(wanted))) {
      problems.push(`${stackId}/${logicalId}: no ledger row "${wanted}…" in ${envOf(stackId)}`);
    }
  }
  expect(problems).toEqual([]);
});

test('the tenant user pool has its ledger row in every environment, ending with the purge', () => {
  for (const env of ledger.environments) {
    const pool = env.rows.find((r) => r.store.startsWith('tenant user pool'));
    expect(pool).toMatchObject({ holds: 'tenant-data', lastDay: ledger.purgeDay, status: 'ok' });
  }
});

test('no classification is stale: each matches a store of the platform', () => {
  const unused = STORE_COVERAGE.filter(
    (c) =>
      !stores.some((s) => s.resource.Type === c.type && s.logicalId.startsWith(c.logicalIdPrefix)),
  );
  expect(unused.map((c) => c.logicalIdPrefix)).toEqual([]);
});
