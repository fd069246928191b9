/**
 * Compares two cloud assemblies template by template, ignoring only the CDK analytics metadata
 * (the `CDKMetadata` resource and its condition). Prints each template whose logical ids or
 * resources differ and exits 1 if any does.
 *
 *   npx tsx bin/compare-templates.ts <before cdk.out> <after cdk.out>
 */
import { isDeepStrictEqual } from 'node:util';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Template = { Resources?: Record<string, unknown>; Conditions?: Record<string, unknown> };

function load(dir: string, file: string): Template {
  const template = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Template;
  delete template.Resources?.CDKMetadata;
  delete template.Conditions?.CDKMetadataAvailable;
  return template;
}

const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error('usage: tsx bin/compare-templates.ts <before cdk.out> <after cdk.out>');
  process.exit(2);
}
const list = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .sort();
const files = list(before);
const missing = files.filter((f) => !list(after).includes(f));
const added = list(after).filter((f) => !files.includes(f));
let differing = missing.length + added.length;
for (const f of missing) console.log(`only before: ${f}`);
for (const f of added) console.log(`only after:  ${f}`);
for (const file of files.filter((f) => !missing.includes(f))) {
  const a = load(before, file);
  const b = load(after, file);
  if (isDeepStrictEqual(a, b)) continue;
  differing += 1;
  const ids = new Set([...Object.keys(a.Resources ?? {}), ...Object.keys(b.Resources ?? {})]);
  const changed = [...ids].filter((id) => !isDeepStrictEqual(a.Resources?.[id], b.Resources?.[id]));
  console.log(`${file}: ${changed.length ? changed.join(', ') : 'outside Resources'}`);
}
console.log(
  `${files.length} templates compared, ${differing} differ (CDK analytics metadata ignored)`,
);
process.exit(differing ? 1 : 0);
