/**
 * Jest transform for ESM-only packages in node_modules (jose 6): esbuild rewrites the module to
 * CommonJS, which Jest's runtime loads. Listed in jest.config.js with transformIgnorePatterns.
 */
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'inline',
    });
    return { code, map };
  },
};
