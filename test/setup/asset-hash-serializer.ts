/**
 * Jest snapshot serializer: masks asset hashes (64 hex characters, alone or inside S3 keys and
 * asset paths) so snapshots change only when a template really changes.
 */
import type { Plugin } from 'pretty-format';

const ASSET_HASH = /[0-9a-f]{64}/g;

const serializer: Plugin = {
  test: (value: unknown) => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  serialize: (value: string, config, indentation, depth, refs, printer) =>
    printer(value.replace(ASSET_HASH, '[ASSET HASH]'), config, indentation, depth, refs),
};

module.exports = serializer;
