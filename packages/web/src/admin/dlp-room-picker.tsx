import { useDeferredValue, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useRoomLabel } from './room-label';
import { useAdminRooms } from './use-admin-rooms';

/** How many rooms are asked for at once to name the rooms a saved rule already holds. */
const NAMES_PAGE = 500;

/** Chooses rooms for a rule's scope with the console's room search; the chosen ones stay listed above the results. */
export function DlpRoomPicker({ value, onChange }: { value: string[]; onChange: (roomIds: string[]) => void }) {
  const { t } = useTranslation();
  const label = useRoomLabel();
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search.trim());
  const pages = useAdminRooms({ nameContains: deferred, departmentId: '', idleDays: 0 });
  /** Every room seen, so that a chosen room keeps its name when a new search hides it. */
  const [seen, setSeen] = useState<ReadonlyMap<string, SeenRoom>>(new Map());
  useEffect(() => setSeen((current) => withRooms(current, pages.rooms)), [pages.rooms]);

  // A saved rule names its rooms by id only: look their names up once.
  const [initialIds] = useState(value);
  useEffect(() => {
    if (initialIds.length === 0) return;
    api
      .endpoint('adminListRooms')({ query: { limit: NAMES_PAGE } })
      .then((page) => setSeen((current) => withRooms(current, page.rooms)))
      .catch(() => undefined); // Unnamed rooms then show their id, which is still exact.
  }, [initialIds]);

  const choose = (roomId: string, on: boolean) => onChange(on ? [...value.filter((id) => id !== roomId), roomId] : value.filter((id) => id !== roomId));

  return (
    <fieldset className="dlp-subfieldset">
      <legend>{t('dlp.rooms')}</legend>
      {value.length > 0 && (
        <ul className="dlp-chosen" aria-label={t('dlp.chosenRooms')}>
          {value.map((roomId) => {
            const room = seen.get(roomId);
            const name = room ? label(room) : roomId;
            return (
              <li key={roomId} className="dlp-chosen__room">
                <span>{name}</span>
                <button type="button" className="icon-button" aria-label={t('dlp.removeRoom', { name })} onClick={() => choose(roomId, false)}>
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <input type="search" className="member-picker__search" value={search} maxLength={80} aria-label={t('dlp.findRooms')} placeholder={t('dlp.findRooms')} onChange={(e) => setSearch(e.target.value)} />
      <FormError message={pages.error} />
      <ul className="member-picker__list dlp-room-results">
        {pages.rooms.map((room) => (
          <li key={room.id}>
            <label className="person-option">
              <input type="checkbox" checked={value.includes(room.id)} onChange={(e) => choose(room.id, e.target.checked)} />
              <span className="person-option__name">{label(room)}</span>
              <span className="person-option__username">{t(`adminRooms.kinds.${room.kind}`)}</span>
            </label>
          </li>
        ))}
        {pages.rooms.length === 0 && <li className="member-picker__empty muted">{t('adminRooms.noMatches')}</li>}
      </ul>
      {pages.hasMore && (
        <button type="button" className="button button--small" onClick={pages.loadMore}>
          {t('adminRooms.loadMore')}
        </button>
      )}
    </fieldset>
  );
}

type SeenRoom = { id: string; name: string | null };

function withRooms(current: ReadonlyMap<string, SeenRoom>, rooms: SeenRoom[]): ReadonlyMap<string, SeenRoom> {
  if (rooms.every((room) => current.has(room.id))) return current;
  return new Map([...current, ...rooms.map((room) => [room.id, { id: room.id, name: room.name }] as const)]);
}
