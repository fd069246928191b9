import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintTemplates } from '../support/cfn-lint';

/**
 * The cfn-lint cache must never hide a new finding: a template whose content changes is linted
 * again. (A small template of its own, so that this costs one cfn-lint start, not a platform.)
 */
const clean = {
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'cache-test' } } },
};

test('a template that gains a defect after being linted clean is reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-cache-'));
  try {
    const path = join(dir, 'CacheTest.template.json');
    writeFileSync(path, JSON.stringify(clean));
    expect(lintTemplates(dir).filter((f) => f.Level === 'Error')).toEqual([]);
    expect(lintTemplates(dir)).toEqual([]); // from the cache this time

    const broken = JSON.parse(readFileSync(path, 'utf8'));
    broken.Resources.Topic.Properties.NoSuchProperty = true;
    writeFileSync(path, JSON.stringify(broken));
    const findings = lintTemplates(dir);
    expect(findings).toEqual([
      expect.objectContaining({ Level: 'Error', Filename: 'CacheTest.template.json' }),
    ]);
    cpSync(path, join(dir, 'Copy.template.json')); // same content, other stack: same findings
    expect(
      lintTemplates(dir)
        .map((f) => f.Filename)
        .sort(),
    ).toEqual(['CacheTest.template.json', 'Copy.template.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
