import { SUBNET_GROUPS } from '../../../lib/constructs/core/subnet-groups';

test('three distinct group names: a shared name would merge two tiers into one selection', () => {
  const names = Object.values(SUBNET_GROUPS);
  expect(names).toHaveLength(3);
  expect(new Set(names).size).toBe(3);
});

test('the names the constructs and the deployed VPCs select subnets by', () => {
  // Renaming a group changes every subnet's logical id and aws-cdk:subnet-name tag: a replacement
  // of the deployed subnets, so the names are pinned here.
  expect(SUBNET_GROUPS).toEqual({ public: 'Ingress', private: 'Compute', isolated: 'Database' });
});
