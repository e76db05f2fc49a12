import { useTranslation } from 'react-i18next';
import { readableTextOn } from './label-colours';
import { useLabels } from './labels-context';

/** A small pill in the label's colour with its name, e.g. on a message or in the room's banner. */
export function LabelChip({ labelId }: { labelId: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const name = labels.nameOf(labelId);
  const colour = labels.byId.get(labelId)?.colour;
  // Colours are data, so they cannot live in the stylesheet.
  const style = colour ? { backgroundColor: colour, color: readableTextOn(colour) } : undefined;
  return (
    <span className="label-chip" style={style} title={t('labels.labelled', { name })}>
      {name}
    </span>
  );
}
