import { HolidayKind } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import type { CalendarChange } from './work-hours-changes';

/** One day added by hand: its date, whether it is a holiday or an adjusted working day, and its name. */
export function HolidayAddForm({ onChanged }: { onChanged: (change: CalendarChange, message: string, yearOfDay: number) => void }) {
  const { t } = useTranslation();
  const [date, setDate] = useState('');
  const [kind, setKind] = useState<HolidayKind>('holiday');
  const [name, setName] = useState('');
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const kindId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const day = { date, kind, name: name.trim() };
    await run(async () => {
      const answer = await api.endpoint('addHolidays')({ body: { source: 'days', days: [day] } });
      onChanged(answer, t('workHoursAdmin.dayAdded', { date }), Number(date.slice(0, 4)));
      setDate('');
      setName('');
    });
  }

  return (
    <form className="admin-form work-hours__add" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId} className="work-hours__subtitle">
        {t('workHoursAdmin.addTitle')}
      </h3>
      <label className="field">
        <span>{t('workHoursAdmin.date')}</span>
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
      </label>
      <div className="field">
        <label htmlFor={kindId}>{t('workHoursAdmin.kind')}</label>
        <HolidayKindSelect id={kindId} value={kind} onChange={setKind} />
      </div>
      <label className="field">
        <span>{t('workHoursAdmin.name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
      </label>
      <FormError message={error} />
      <div className="admin-form__actions">
        <button type="submit" className="button button--primary" disabled={busy || date === ''}>
          {t('workHoursAdmin.addDay')}
        </button>
      </div>
    </form>
  );
}

/** Holiday or adjusted working day, in the reader's language; its label stands beside it (`id`), so its name is the label alone. */
export function HolidayKindSelect({ id, value, onChange }: { id: string; value: HolidayKind; onChange: (kind: HolidayKind) => void }) {
  const { t } = useTranslation();
  return (
    <select id={id} value={value} onChange={(e) => onChange(HolidayKind.parse(e.target.value))}>
      {HolidayKind.options.map((kind) => (
        <option key={kind} value={kind}>
          {t(`workHoursAdmin.kinds.${kind}`)}
        </option>
      ))}
    </select>
  );
}
