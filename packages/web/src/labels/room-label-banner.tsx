import type { RoomSummary } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ClassificationDialog } from './classification-dialog';
import { LabelChip } from './label-chip';
import { useLabels } from './labels-context';

/** The room's ceiling as a band in its colour, with the default label, and for owners the way to change both. */
export function RoomLabelBanner({ room }: { room: RoomSummary }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [editing, setEditing] = useState(false);
  // As on the server: only owners classify, direct messages have no owner, and a frozen room changes nothing.
  const canEdit = !room.frozen && room.kind !== 'dm' && room.myRole === 'owner';
  const colour = labels.byId.get(room.ceiling)?.colour;

  return (
    <div className="label-banner" role="status" aria-label={t('labels.bannerLabel')} style={colour ? { borderInlineStartColor: colour } : undefined}>
      <span>{t('labels.ceiling')}</span>
      <LabelChip labelId={room.ceiling} />
      <span className="muted">{t('labels.defaultIs', { name: labels.nameOf(room.defaultLabel) })}</span>
      {canEdit && (
        <button type="button" className="button button--small label-banner__edit" onClick={() => setEditing(true)}>
          {t('labels.classification')}
        </button>
      )}
      {editing && <ClassificationDialog room={room} onClose={() => setEditing(false)} />}
    </div>
  );
}
