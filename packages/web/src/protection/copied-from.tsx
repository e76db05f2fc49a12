import type { CopyProvenance } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { LabelChip } from '../labels/label-chip';
import { useFormatTime } from '../ui/use-format-time';

/**
 * A message whose text the server recognised as a copy of a more sensitive item: it carries that item's label. Only
 * the label and the original's time are shown; where the original is (its room, its sender) is for a compliance
 * officer's copy chain, not for every reader of the copy.
 */
export function CopiedFrom({ provenance }: { provenance: CopyProvenance }) {
  const { t } = useTranslation();
  const format = useFormatTime();
  return (
    <div className="forwarded-from">
      <span aria-hidden="true">⧉</span>
      <span>{t('copy.from', { time: `${format.day(provenance.createdAt)} ${format.time(provenance.createdAt)}` })}</span>
      <LabelChip labelId={provenance.label} />
    </div>
  );
}
