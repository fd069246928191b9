// @ts-check
'use strict';
const vm = require('node:vm');
const { default: Runtime } = require('jest-runtime');

/**
 * Jest's runtime, except that modules under node_modules are compiled with `vm.Script`, whose
 * compilations V8 keeps for the worker's life (its compilation cache is per isolate and keyed by
 * source), instead of `vm.compileFunction`, which compiles again for every test file: Jest gives
 * each file a fresh module registry, so aws-cdk-lib and the SDK were parsed and compiled anew in
 * each of the suite's files. On 160 tests of 24 small files this took in-band Jest from 17.6 s to
 * 11.7 s. Modules are still evaluated once per file, in that file's context: only the compiled
 * code is shared, never module state.
 *
 * A source containing a dynamic `import(` keeps Jest's own compile: a script compiled without an
 * `importModuleDynamically` callback (which would make every compilation unique again) cannot
 * import. So do the project's own files, whose stack traces keep Jest's exact columns.
 */
class CachedCompileRuntime extends Runtime {
  /** @param {ConstructorParameters<typeof Runtime>} args */
  constructor(...args) {
    super(...args);
    /** @type {{ compile?: (source: string, filename: string) => unknown, environment: { getVmContext(): vm.Context | null }, injectedModuleParameters?: string[] } | undefined} */
    const executor = /** @type {any} */ (this).executor;
    if (
      typeof executor?.compile !== 'function' ||
      !Array.isArray(executor.injectedModuleParameters)
    ) {
      throw new Error(
        'jest-runtime no longer has executor.compile and executor.injectedModuleParameters: ' +
          'adapt test/setup/cached-compile-runtime.js to it, or remove `runtime` from jest.config.js',
      );
    }
    const jestCompile = executor.compile.bind(executor);
    const wrapper = `(function (${executor.injectedModuleParameters.join(', ')}) {`;
    executor.compile = (/** @type {string} */ source, /** @type {string} */ filename) => {
      const context = executor.environment.getVmContext();
      if (context == null || !cacheable(filename, source)) return jestCompile(source, filename);
      try {
        return new vm.Script(`${wrapper}${source}\n})`, { filename }).runInContext(context);
      } catch {
        return jestCompile(source, filename); // Jest's own error for a source it cannot compile
      }
    };
  }
}

/** Whether a module is compiled through V8's cache. @param {string} filename @param {string} source */
function cacheable(filename, source) {
  return (
    filename.includes('/node_modules/') &&
    !source.includes('import(') &&
    !/import\s+\(/.test(source)
  );
}

module.exports = CachedCompileRuntime;
module.exports.cacheable = cacheable;
