import {
  RUNBOOK_LINK,
  RUNBOOKS,
  runbookPath,
  withRunbook,
} from '../../../lib/constructs/core/runbooks';
import { runbookAnchors } from '../../support/runbooks';

test.each(Object.entries(RUNBOOKS))('%s points at a heading that exists', (_, runbook) => {
  const anchors = runbookAnchors(runbook.file);
  if (!anchors) throw new Error(`${runbookPath(runbook)}: no such file`);
  expect([...anchors]).toContain(runbook.anchor);
});

test('a description ends with its runbook link, which the link pattern reads back', () => {
  const description = withRunbook('Something failed.', RUNBOOKS.queueAge);
  expect(description).toBe('Something failed. Runbook: docs/runbooks/alarms.md#queue-age');
  expect(RUNBOOK_LINK.exec(description)?.slice(1)).toEqual(['alarms.md', 'queue-age']);
});
