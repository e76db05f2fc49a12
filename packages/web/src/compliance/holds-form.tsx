import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { usePeople } from '../people/people-context';
import { FormError } from '../ui/form-error';
import { OfficerRoomPicker } from './officer-room-picker';

/** Places a hold: a name, custodians picked by name, rooms found by name (officers are not members), an optional date range. */
export function HoldsForm({ onPlaced }: { onPlaced: () => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [custodianIds, setCustodianIds] = useState<string[]>([]);
  const [rooms, setRooms] = useState<Map<string, string>>(new Map());
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | undefined>();

  async function place(event: FormEvent) {
    event.preventDefault();
    const roomIds = [...rooms.keys()];
    const covers = { custodianIds, roomIds, ...(from ? { from: new Date(from).toISOString() } : {}), ...(to ? { to: new Date(to).toISOString() } : {}) };
    try {
      await api.endpoint('createHold')({ body: { name, description, covers } });
      setName('');
      setDescription('');
      setCustodianIds([]);
      setRooms(new Map());
      setError(undefined);
      onPlaced();
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return (
    <form className="audit-filter" onSubmit={(event) => void place(event)} aria-label={t('compliance.holds.place')}>
      <label className="field">
        <span>{t('compliance.holds.name')}</span>
        <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('compliance.holds.description')}</span>
        <input value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('compliance.holds.custodians')}</span>
        <select multiple value={custodianIds} onChange={(e) => setCustodianIds([...e.target.selectedOptions].map((option) => option.value))}>
          {people.list.map((person) => (
            <option key={person.id} value={person.id}>
              {person.displayName} (@{person.username})
            </option>
          ))}
        </select>
      </label>
      <OfficerRoomPicker legend={t('compliance.holds.rooms')} selected={rooms} onChange={setRooms} emptyText={t('compliance.holds.anyRoom')} />
      <label className="field">
        <span>{t('compliance.holds.from')}</span>
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('compliance.holds.to')}</span>
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <div className="audit-filter__buttons">
        <button type="submit" className="button">
          {t('compliance.holds.place')}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}
