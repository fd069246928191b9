import type { AnyContract } from '../../lib/constructs/core/platform-function';
import { environmentProblems } from '../../lambda/shared/contract';
import { HANDLER_ENV } from '../support/lifecycle/handler-env';

/**
 * Each handler reads its environment once at init through its contract (readEnvironment in its
 * index.ts), and fails naming every problem.
 */

const saved = { ...process.env };

/** Handlers of custom resources: a bad environment is answered FAILED, not an init error. */
const CUSTOM_RESOURCES = ['db-bootstrap'];
afterEach(() => {
  process.env = { ...saved };
});

function load(name: string, env: Record<string, string>): { handler?: unknown } {
  process.env = { ...saved, AWS_REGION: 'ap-southeast-2', ...env };
  let mod: { handler?: unknown } = {};
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(`../../lambda/${name}/index`);
  });
  return mod;
}

function contractOf(name: string): AnyContract {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`../../lambda/${name}/contract`) as { contract: AnyContract }).contract;
}

describe.each(Object.keys(HANDLER_ENV))('%s init', (name) => {
  it('exports a handler when its environment is complete', () => {
    expect(typeof load(name, HANDLER_ENV[name]).handler).toBe('function');
  });

  it('the complete environment is exactly what its contract requires', () => {
    const required = environmentProblems(contractOf(name), { AWS_REGION: 'ap-southeast-2' }).map(
      (problem) => problem.split(':')[0],
    );
    expect(required.sort()).toEqual(Object.keys(HANDLER_ENV[name]).sort());
  });

  it('fails clearly, naming every missing variable, when the environment is empty (a custom resource: loads, and answers FAILED, below)', () => {
    const blank = Object.fromEntries(Object.keys(HANDLER_ENV[name]).map((k) => [k, '']));
    if (CUSTOM_RESOURCES.includes(name)) {
      expect(typeof load(name, blank).handler).toBe('function');
      return;
    }
    let message = '';
    try {
      load(name, blank);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^${name}: invalid environment: `));
    for (const variable of Object.keys(HANDLER_ENV[name])) {
      expect(message).toMatch(new RegExp(`${variable}: [^;]* \\(missing\\)`));
    }
    expect(message).toContain(
      `Fix: set these variables on the function (see lambda/${name}/contract.ts)`,
    );
  });
});

it('rejects a malformed value with the expected shape', () => {
  expect(() =>
    load('tenant-deactivate', {
      ...HANDLER_ENV['tenant-deactivate'],
      GRACE_DAYS: '-3',
      USER_POOL_ID: 'pool',
    }),
  ).toThrow(
    /tenant-deactivate: invalid environment: USER_POOL_ID: the Cognito user pool id, matching .* \(got "pool"\); GRACE_DAYS: retention.closureGraceDays, in days, a whole number >= 1 \(got "-3"\)/,
  );
});

it('the archive worker refuses to start without the CA bundle that lets it verify Aurora', () => {
  const withoutBundle = { ...HANDLER_ENV['tenant-archive'], NODE_EXTRA_CA_CERTS: '' };
  expect(() => load('tenant-archive', withoutBundle)).toThrow(
    /NODE_EXTRA_CA_CERTS: the CA bundle that signs the RDS certificates \(\/var\/runtime\/ca-cert\.pem.*\(missing\)/,
  );
});

it('db-bootstrap with a bad environment still loads, and answers CloudFormation FAILED naming every problem', async () => {
  const blank = Object.fromEntries(Object.keys(HANDLER_ENV['db-bootstrap']).map((k) => [k, '']));
  process.env = { ...saved, AWS_REGION: 'ap-southeast-2', ...blank };
  const puts: { url: string; body: string }[] = [];
  let handler: ((event: unknown) => Promise<void>) | undefined;
  jest.isolateModules(() => {
    // CloudFormation's pre-signed URL, answered over HTTPS: capture the PUT.
    jest.doMock('node:https', () => ({
      request: (url: string, _options: unknown, respond: (res: unknown) => void) => ({
        on: () => undefined,
        end: (body: string) => {
          puts.push({ url, body });
          respond({
            statusCode: 200,
            resume: () => undefined,
            on: (event: string, listener: () => void) => event === 'end' && listener(),
          });
        },
      }),
    }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require('../../lambda/db-bootstrap/index').handler;
  });
  expect(typeof handler).toBe('function');
  await handler!({
    RequestType: 'Create',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/abc',
    StackId: 'stack',
    RequestId: 'request',
    LogicalResourceId: 'Baseline',
  });
  expect(puts).toHaveLength(1);
  expect(puts[0]!.url).toBe('https://cloudformation-custom-resource-response.example/abc');
  const body = JSON.parse(puts[0]!.body);
  expect(body).toMatchObject({
    Status: 'FAILED',
    RequestId: 'request',
    PhysicalResourceId: 'Baseline',
  });
  expect(body.Reason).toMatch(/^db-bootstrap: invalid environment: /);
  for (const variable of Object.keys(HANDLER_ENV['db-bootstrap'])) {
    expect(body.Reason).toMatch(new RegExp(`${variable}: [^;]* \\(missing\\)`));
  }
});
