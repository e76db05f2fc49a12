import type { OfficerRoom } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { LabelChip } from '../labels/label-chip';
import { usePeople } from '../people/people-context';

/** How long typing pauses before the rooms are asked for, so a name typed quickly costs one request. */
const SEARCH_DELAY_MS = 250;
const RESULTS = 20;

interface OfficerRoomPickerProps {
  legend: string;
  /** The rooms chosen, by id, with the name shown for each. */
  selected: ReadonlyMap<string, string>;
  onChange: (selected: Map<string, string>) => void;
  /** Said while nothing is chosen. */
  emptyText: string;
}

/**
 * Picks rooms for a compliance officer, who is a member of none: searched by name (a direct message by its
 * people's names) through the officer's room list, which carries names and metadata, never content.
 */
export function OfficerRoomPicker({ legend, selected, onChange, emptyText }: OfficerRoomPickerProps) {
  const { t } = useTranslation();
  const nameOf = useOfficerRoomName();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<OfficerRoom[]>([]);
  const [error, setError] = useState<string | undefined>();
  const findLabel = t('compliance.roomPicker.find');

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api.endpoint('officerListRooms')({ query: { q: query.trim(), limit: RESULTS } }).then(
        (page) => current && (setFound(page.rooms), setError(undefined)),
        (failure: unknown) => current && setError(describeError(failure)),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  const choose = (room: OfficerRoom) => onChange(new Map([...selected, [room.id, nameOf(room)]]));
  const drop = (roomId: string) => onChange(new Map([...selected].filter(([id]) => id !== roomId)));
  const offered = found.filter((room) => !selected.has(room.id));

  return (
    <fieldset className="officer-room-picker">
      <legend>{legend}</legend>
      {selected.size === 0 && <p className="muted">{emptyText}</p>}
      {[...selected].map(([roomId, name]) => (
        <button key={roomId} type="button" className="chip" aria-label={t('compliance.roomPicker.remove', { name })} onClick={() => drop(roomId)}>
          {name} ×
        </button>
      ))}
      <input type="search" aria-label={findLabel} placeholder={findLabel} value={query} onChange={(event) => setQuery(event.target.value)} />
      {error && <p className="form-error">{error}</p>}
      <ul className="officer-room-picker__list">
        {offered.map((room) => (
          <li key={room.id}>
            <button type="button" className="officer-room-picker__room" aria-label={t('compliance.roomPicker.add', { name: nameOf(room) })} onClick={() => choose(room)}>
              <span>{nameOf(room)}</span>
              <LabelChip labelId={room.ceiling} />
              <small className="muted">
                {t(`adminRooms.kinds.${room.kind}`)} · {t('guard.members', { count: room.memberCount })}
                {room.frozen ? ` · ${t('compliance.roomPicker.frozen')}` : ''}
              </small>
            </button>
          </li>
        ))}
        {offered.length === 0 && !error && <li className="muted">{t('compliance.roomPicker.noneFound')}</li>}
      </ul>
    </fieldset>
  );
}

/** A room's name as the picker shows it: a direct message is named after its people. */
function useOfficerRoomName(): (room: OfficerRoom) => string {
  const { t, i18n } = useTranslation();
  const people = usePeople();
  return (room) => {
    if (room.name !== null) return room.kind === 'channel' ? `#${room.name}` : room.name;
    const names = room.memberIds.map((id) => people.byId.get(id)?.displayName ?? t('common.someone'));
    return t('compliance.roomPicker.dm', { names: new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(names) });
  };
}
