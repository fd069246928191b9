import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { synthesizeDefaultPlatform, templates } from './cloud-assembly';

/**
 * The stacks of the default platform as the shared synth wrote them (test/support/cloud-assembly.ts,
 * started by Jest's global setup), for stack tests: reading a template costs milliseconds where
 * building the platform in-process cost 12-14 s per test file.
 */
let cached: { dir: string; all: Record<string, Record<string, unknown>> } | undefined;

function assembly() {
  if (!cached) {
    const synth = synthesizeDefaultPlatform();
    if (!synth.succeeded)
      throw new Error(`the default platform did not synthesize:\n${synth.output}`);
    cached = { dir: synth.dir, all: templates(synth.dir) };
  }
  return cached;
}

/** The template of one stack by id, e.g. `prod-apse2-Data`. */
export function stackTemplate(id: string): Template {
  const json = assembly().all[id];
  if (!json) throw new Error(`no stack ${id} in the default platform`);
  return Template.fromJSON(json);
}

/** The raw template JSON of one stack (for snapshots). */
export function stackJson(id: string): Record<string, unknown> {
  const json = assembly().all[id];
  if (!json) throw new Error(`no stack ${id} in the default platform`);
  return json;
}

/** The stacks (not assets) that a stack deploys after, from the cloud assembly manifest. */
export function stackDependencies(id: string): string[] {
  const manifest = JSON.parse(readFileSync(join(assembly().dir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; dependencies?: string[] }>;
  };
  return (manifest.artifacts[id].dependencies ?? []).filter(
    (dep) => manifest.artifacts[dep]?.type === 'aws:cloudformation:stack',
  );
}
