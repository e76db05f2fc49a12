import type { RoomSummary } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabels } from './labels-context';

/**
 * The label my next message in `room` gets: the room's default until I pick another. A pick the room no longer
 * allows (its ceiling was lowered meanwhile) falls back to the default.
 */
export function useMessageLabel(room: RoomSummary | undefined): [string | undefined, (labelId: string) => void] {
  const labels = useLabels();
  const [picked, setPicked] = useState<string | undefined>();
  const allowed = room && picked !== undefined && labels.byId.has(picked) && !labels.isAbove(picked, room.ceiling);
  return [allowed ? picked : room?.defaultLabel, setPicked];
}

/** The composer's compact label choice, offering only labels up to the room's ceiling. */
export function LabelPicker({ room, value, onChange, disabled }: { room: RoomSummary; value: string; onChange: (labelId: string) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const colour = labels.byId.get(value)?.colour;
  return (
    <select
      className="label-picker"
      aria-label={t('labels.picker')}
      title={t('labels.picker')}
      value={value}
      disabled={disabled}
      style={colour ? { borderInlineStartColor: colour } : undefined}
      onChange={(event) => onChange(event.target.value)}
    >
      {labels.upTo(room.ceiling).map((label) => (
        <option key={label.id} value={label.id}>
          {labels.nameOf(label.id)}
        </option>
      ))}
    </select>
  );
}
