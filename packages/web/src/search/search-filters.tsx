import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';
import { useLabels } from '../labels/labels-context';
import { useRoomName } from '../rooms/use-room-name';
import { hasFilters } from './search-criteria';
import { useSearch } from './search-context';
import { SenderFilter } from './sender-filter';

/** The filters, each a labelled control; they combine, and one button clears them all. */
export function SearchFilters() {
  const { t } = useTranslation();
  const { criteria, changeCriteria, clearFilters } = useSearch();
  const { state } = useChat();
  const labels = useLabels();
  const roomName = useRoomName();
  const rooms = (state.rooms ?? []).map((room) => ({ id: room.id, name: roomName(room) })).sort((a, b) => a.name.localeCompare(b.name));

  return (
    <fieldset className="search-filters">
      <legend className="visually-hidden">{t('search.filters')}</legend>
      <label className="search-filter">
        <span>{t('search.room')}</span>
        <select value={criteria.roomId ?? ''} onChange={(event) => changeCriteria({ roomId: event.target.value || undefined })}>
          <option value="">{t('search.anyRoom')}</option>
          {rooms.map((room) => (
            <option key={room.id} value={room.id}>
              {room.name}
            </option>
          ))}
        </select>
      </label>
      <SenderFilter value={criteria.senderId} onChange={(senderId) => changeCriteria({ senderId })} />
      <label className="search-filter">
        <span>{t('search.fromDay')}</span>
        <input type="date" value={criteria.fromDay ?? ''} max={criteria.untilDay} onChange={(event) => changeCriteria({ fromDay: event.target.value || undefined })} />
      </label>
      <label className="search-filter">
        <span>{t('search.untilDay')}</span>
        <input type="date" value={criteria.untilDay ?? ''} min={criteria.fromDay} onChange={(event) => changeCriteria({ untilDay: event.target.value || undefined })} />
      </label>
      <label className="search-filter">
        <span>{t('search.label')}</span>
        <select value={criteria.label ?? ''} onChange={(event) => changeCriteria({ label: event.target.value || undefined })}>
          <option value="">{t('search.anyLabel')}</option>
          {labels.list.map((label) => (
            <option key={label.id} value={label.id}>
              {labels.nameOf(label.id)}
            </option>
          ))}
        </select>
      </label>
      <label className="search-filter search-filter--check">
        <input type="checkbox" checked={criteria.withFiles} onChange={(event) => changeCriteria({ withFiles: event.target.checked })} />
        <span>{t('search.withFiles')}</span>
      </label>
      {hasFilters(criteria) && (
        <button type="button" className="link-button search-filters__clear" onClick={clearFilters}>
          {t('search.clearFilters')}
        </button>
      )}
    </fieldset>
  );
}
