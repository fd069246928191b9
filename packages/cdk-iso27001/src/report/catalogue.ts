import { ANNEX_A_CONTROLS } from '../iso27001';
import type { AnnexAControl } from './model';

/**
 * The Annex A controls the report lists: those of the ISO pack's catalogue that have synth-time
 * rules. The other controls (organisational, people, physical, and technological ones no
 * template can show) have no check, so the report does not call them passing; the statement of
 * applicability in docs/compliance/iso27001.md covers them.
 */
export function checkedAnnexAControls(
  catalogue: readonly (AnnexAControl & { readonly rules: readonly string[] })[] = ANNEX_A_CONTROLS,
): AnnexAControl[] {
  return catalogue.filter((c) => c.rules.length > 0).map(({ id, title }) => ({ id, title }));
}
