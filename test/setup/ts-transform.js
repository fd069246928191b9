/**
 * Jest transform for the project's TypeScript: esbuild strips the types and writes CommonJS with
 * an inline source map, file by file (as `isolatedModules` allows). It replaces ts-jest, whose
 * TypeScript compiler took most of a cold run's transform time for the same output; types are
 * checked once, by `tsc --noEmit` in `npm test`. esbuild does not hoist `jest.mock` calls above
 * the imports as ts-jest and babel-jest do, so test files do not use `jest.mock` (module
 * replacements belong in jest.config.js `moduleNameMapper`; a test in test/setup checks this).
 */
const { createHash } = require('node:crypto');
const { transformSync, version } = require('esbuild');

const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline', // stack traces point at the TypeScript lines
};

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256')
      .update(`${version}\n${JSON.stringify(OPTIONS)}\n${filename}\n`)
      .update(source)
      .digest('hex');
  },
};
