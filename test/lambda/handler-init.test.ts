import { HANDLER_ENV } from '../support/lifecycle/handler-env';

/** Each handler reads and validates its environment once at init, and fails naming every problem. */

const saved = { ...process.env };
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

describe.each(Object.keys(HANDLER_ENV))('%s init', (name) => {
  it('exports a handler when its environment is complete', () => {
    expect(typeof load(name, HANDLER_ENV[name]).handler).toBe('function');
  });

  it('fails clearly, naming every missing variable, when the environment is empty', () => {
    const blank = Object.fromEntries(Object.keys(HANDLER_ENV[name]).map((k) => [k, '']));
    expect(() => load(name, blank)).toThrow(/TABLE_NAME is missing/);
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
    /tenant-deactivate: invalid environment: GRACE_DAYS="-3" is not .*; USER_POOL_ID="pool" is not the Cognito user pool id/,
  );
});
