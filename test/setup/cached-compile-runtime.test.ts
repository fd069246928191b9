import { join } from 'node:path';

// The runtime module is plain JavaScript that Jest itself loads; only its pure rule is tested here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cacheable } = require('./cached-compile-runtime.js') as {
  cacheable: (filename: string, source: string) => boolean;
};

const dependency = join(__dirname, '..', '..', 'node_modules', 'some-package', 'index.js');

test('modules under node_modules are compiled through V8 cache, unless they import dynamically', () => {
  expect(cacheable(dependency, 'exports.x = require("./y");')).toBe(true);
  expect(cacheable(dependency, 'const m = await import("./esm.mjs");')).toBe(false);
  expect(cacheable(dependency, 'const m = import ("./esm.mjs");')).toBe(false);
});

test("the project's own files keep Jest's compile (exact stack trace columns)", () => {
  expect(
    cacheable(join(__dirname, '..', '..', 'lib', 'config', 'schema.ts'), 'exports.x = 1;'),
  ).toBe(false);
});

test('jest.config.js runs the suite with this runtime', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require('../../jest.config.js') as { runtime?: string };
  expect(config.runtime).toBe('<rootDir>/test/setup/cached-compile-runtime.js');
});
