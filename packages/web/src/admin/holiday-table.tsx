import type { Holiday } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { useWeekdayNames } from './schedule-fields';

/** One year's days on the calendar: the date and its weekday, holiday or adjusted working day, the name, and Remove. */
export function HolidayTable({ year, days, busy, onRemove }: { year: number; days: Holiday[]; busy: boolean; onRemove: (date: string) => void }) {
  const { t } = useTranslation();
  const weekdays = useWeekdayNames('long');
  return (
    <div className="work-hours__table">
      <table className="user-table" aria-label={t('workHoursAdmin.daysOf', { year })}>
        <thead>
          <tr>
            <th scope="col">{t('workHoursAdmin.date')}</th>
            <th scope="col">{t('workHoursAdmin.kind')}</th>
            <th scope="col">{t('workHoursAdmin.name')}</th>
            <th scope="col">{t('console.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.date}>
              <td>
                <span className="work-hours__date">{day.date}</span> <span className="muted">{weekdays.get(isoWeekday(day.date))}</span>
              </td>
              <td>
                <span className={`work-hours__kind work-hours__kind--${day.kind}`}>{t(`workHoursAdmin.kinds.${day.kind}`)}</span>
              </td>
              <td>{day.name}</td>
              <td>
                <button type="button" className="button button--small" disabled={busy} aria-label={t('workHoursAdmin.removeDay', { date: day.date })} onClick={() => onRemove(day.date)}>
                  {t('workHoursAdmin.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The ISO weekday (1 Monday … 7 Sunday) of a calendar date, which names no time zone. */
function isoWeekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}
