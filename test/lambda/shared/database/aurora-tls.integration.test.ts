import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  BOOTSTRAP_ROLE,
  LIFECYCLE_ROLE,
  RESTORE_VALIDATION_ROLE,
} from '../../../../lambda/shared/database/names';
import type { TestPostgres } from '../../../support/postgres';
import { startPostgres } from '../../../support/postgres';
import type { TestCertificates } from '../../../support/test-ca';
import { makeTestCertificates } from '../../../support/test-ca';

/**
 * Every platform function that talks to Aurora, against PostgreSQL with `ssl=on` and a server
 * certificate from a test CA, as Aurora presents one signed by the RDS CA: each function's own
 * connection code (IAM token as the password, full certificate verification), in a process of its
 * own so that NODE_EXTRA_CA_CERTS works as in Lambda, where Node reads it at start-up. The three
 * login roles are refused without TLS, so a connection that succeeds is a verified TLS one.
 * (The documents service has its own TLS suite: test/services/documents.)
 */
const ROOT = join(__dirname, '..', '..', '..', '..');
const PROBE = join(__dirname, 'fixtures', 'tls-probe.ts');
const ROLES = [LIFECYCLE_ROLE, BOOTSTRAP_ROLE, RESTORE_VALIDATION_ROLE];

let pg: TestPostgres;
let certificates: TestCertificates;

beforeAll(async () => {
  certificates = makeTestCertificates();
  pg = await startPostgres({
    tls: { certFile: certificates.certFile, keyFile: certificates.keyFile, requiredFor: ROLES },
  });
  const root = await pg.client();
  for (const role of ROLES) await root.query(`CREATE ROLE ${role} LOGIN`);
  await root.end();
});

afterAll(async () => pg?.stop());

/** A copy of a PEM file named `.pem`, as the contracts require of the bundle's path. */
function asPem(file: string): string {
  const pem = file.replace(/\.crt$/, '.pem');
  copyFileSync(file, pem);
  return pem;
}

type FunctionName = 'tenant-archive' | 'db-bootstrap' | 'restore-validation';

/** Each function's environment as its construct sets it (the database settings pointing here). */
function environmentOf(fn: FunctionName): NodeJS.ProcessEnv {
  const database = {
    DB_HOST: 'localhost', // the name the server certificate holds, as the cluster endpoint's
    DB_PORT: String(pg.port),
    DB_NAME: 'postgres',
  };
  switch (fn) {
    case 'tenant-archive':
      return {
        ...database,
        DB_USER: LIFECYCLE_ROLE,
        TABLE_NAME: 'registry',
        AUDIT_TABLE_NAME: 'audit',
        ARCHIVE_RETENTION_DAYS: '365',
        FILES_BUCKET: 'logistics-test-files',
        FILES_REPLICA_BUCKET: 'logistics-test-files-replica',
        FILES_REPLICA_REGION: 'ap-southeast-4',
        ARCHIVE_BUCKET: 'logistics-test-archive',
        ARCHIVE_JOBS_QUEUE_URL:
          'https://sqs.ap-southeast-2.amazonaws.com/123456789012/archive-jobs',
      };
    case 'db-bootstrap':
      return {
        ...database,
        MASTER_SECRET_ARN:
          'arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:master-AbCdEf',
      };
    case 'restore-validation':
      return {
        DB_NAME: 'postgres',
        DB_USER: RESTORE_VALIDATION_ROLE,
        RESTORE_TESTING_PLAN_ARN:
          'arn:aws:backup:ap-southeast-2:123456789012:restore-testing-plan:plan-1',
        INSTANCE_CLASS: 'db.t4g.medium',
        PROBE_DB_HOST: 'localhost',
        PROBE_DB_PORT: String(pg.port),
      };
  }
}

interface Probe {
  readonly connected?: Record<string, unknown>;
  readonly error?: string;
}

function probe(fn: FunctionName, caBundle: string): Probe {
  const run = spawnSync(process.execPath, ['--import', 'tsx', PROBE, fn], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      // the signer signs locally; these are never sent anywhere
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'ap-southeast-2',
      NODE_OPTIONS: '--dns-result-order=ipv4first', // the server listens on 127.0.0.1 only
      NODE_EXTRA_CA_CERTS: caBundle,
      ...environmentOf(fn),
    },
    encoding: 'utf8',
  });
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Probe;
  } catch {
    throw new Error(
      `the probe printed no result (status ${run.status}):\n${run.stdout}${run.stderr}`,
    );
  }
}

const FUNCTIONS: [FunctionName, string][] = [
  ['tenant-archive', LIFECYCLE_ROLE],
  ['db-bootstrap', BOOTSTRAP_ROLE],
  ['restore-validation', RESTORE_VALIDATION_ROLE],
];

describe.each(FUNCTIONS)('%s', (fn, role) => {
  test('with the CA bundle that signed the server certificate, it connects over verified TLS', () => {
    const result = probe(fn, asPem(certificates.caFile));
    expect(result.error).toBeUndefined();
    expect(result.connected?.user).toBe(role);
    if (fn !== 'restore-validation') {
      // the validation query returns only the user: the role's refusal without TLS covers it
      expect(result.connected).toMatchObject({
        ssl: true,
        version: expect.stringMatching(/^TLSv1\.[23]$/),
      });
    }
  });

  test('with a bundle that did not sign the server certificate (as Node’s default store, which lacks the RDS CAs), it is refused', () => {
    const result = probe(fn, asPem(certificates.otherCaFile));
    expect(result.connected).toBeUndefined();
    expect(result.error).toMatch(/self[- ]signed certificate|unable to (get|verify)/i);
  });
});

test('the login roles cannot connect without TLS at all (the server side of the same promise)', async () => {
  for (const role of ROLES) {
    const plain = new Client({ host: '127.0.0.1', port: pg.port, user: role, ssl: false });
    await expect(plain.connect()).rejects.toThrow(/no encryption|pg_hba\.conf rejects/);
  }
});
