import { startTracing } from './tracing';

/**
 * Tracing, started as this module loads: main.ts imports it before any other module, so that
 * http, pg and the AWS SDK are patched as they load. Undefined when tracing is off.
 */
export const tracing = startTracing(process.env);
