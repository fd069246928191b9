import type { FindingCounts } from './model';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `Open: 1 error, 2 warnings (1 not checkable). Acknowledged: 3.` */
export function countsText(counts: FindingCounts): string {
  const notCheckable = counts.notCheckable ? ` (${counts.notCheckable} not checkable)` : '';
  const notes = counts.openNotes ? `, ${plural(counts.openNotes, 'note')}` : '';
  return (
    `Open: ${plural(counts.openErrors, 'error')}, ${plural(counts.openWarnings, 'warning')}` +
    `${notCheckable}${notes}. Acknowledged: ${counts.acknowledged}.`
  );
}
