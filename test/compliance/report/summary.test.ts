import { buildSummary } from '@logistics-platform/cdk-iso27001/report';
import { buildFixtureReport, HANDMADE_REPORT, PLATFORM_REPORT } from './fixtures';

const zero = {
  openErrors: 0,
  openWarnings: 0,
  openNotes: 0,
  notCheckable: 0,
  acknowledged: 0,
  total: 0,
};

test('summary.json counts of the hand-made report, exactly', () => {
  const summary = buildSummary(buildFixtureReport(HANDMADE_REPORT));
  expect(summary.overall).toEqual({
    openErrors: 6,
    openWarnings: 5,
    openNotes: 1,
    notCheckable: 1,
    acknowledged: 5,
    total: 17,
  });
  expect(summary.packs).toEqual({
    AwsSolutions: {
      conclusion: 'failure',
      ...zero,
      openErrors: 1,
      openWarnings: 1,
      acknowledged: 1,
      total: 3,
    },
    'cdk-validator-cfnguard': {
      pluginVersion: '0.0.62',
      conclusion: 'failure',
      ...zero,
      openErrors: 1,
      acknowledged: 1,
      total: 2,
    },
    'ISO.27001.2022': {
      pluginVersion: '0.1.0',
      conclusion: 'failure',
      openErrors: 4,
      openWarnings: 3,
      openNotes: 0,
      notCheckable: 1,
      acknowledged: 3,
      total: 10,
    },
    'CloudFormation Validate': {
      conclusion: 'success',
      ...zero,
      openWarnings: 1,
      openNotes: 1,
      total: 2,
    },
    'HIPAA.Security': {
      conclusion: 'plugin failed',
      pluginError: "Validation plugin 'HIPAA.Security' failed: boom",
      ...zero,
    },
  });
  expect(summary.controls['A.8.13']).toEqual({
    title: 'Information backup',
    status: 'findings',
    resourcesEvaluated: 0, // the hand-made evaluations list no A.8.13 rule
    ...zero,
    openErrors: 2,
    acknowledged: 1,
    total: 3,
  });
  expect(summary.controls['A.8.21']).toEqual({
    title: 'Security of network services',
    status: 'not-checkable',
    resourcesEvaluated: 0,
    ...zero,
    openWarnings: 1,
    notCheckable: 1,
    total: 1,
  });
  expect(summary.controls['A.5.30']).toMatchObject({
    status: 'acknowledged',
    acknowledged: 1,
    total: 1,
  });
  expect(summary.controls['A.5.15']).toEqual({
    title: 'Access control',
    status: 'pass',
    resourcesEvaluated: 12,
    rules: {
      IamNoAdminPolicy: { evaluated: 12, nonCompliant: 0 },
      ApiRouteAuthorization: { evaluated: 0, nonCompliant: 0 },
    },
    ...zero,
  });
  expect(summary.controls['A.8.9']).toMatchObject({ status: 'findings', openWarnings: 1 });
  expect(Object.keys(summary.controls)).toHaveLength(18);
  expect(summary.annexAEvaluated).toBe(true);
});

test('summary.json counts of the recorded platform report, exactly', () => {
  const summary = buildSummary(buildFixtureReport(PLATFORM_REPORT));
  expect(summary.overall).toEqual({ ...zero, acknowledged: 40, total: 40 });
  expect(summary.packs).toEqual({
    AwsSolutions: { conclusion: 'success', ...zero, acknowledged: 20, total: 20 },
    'NIST.800.53.R5': { conclusion: 'success', ...zero, acknowledged: 15, total: 15 },
    'cdk-validator-cfnguard': {
      pluginVersion: '0.0.62',
      conclusion: 'success',
      ...zero,
      acknowledged: 5,
      total: 5,
    },
  });
  expect(summary.controls['A.8.13']).toEqual({
    title: 'Information backup',
    status: 'not-evaluated',
    ...zero,
  });
});
