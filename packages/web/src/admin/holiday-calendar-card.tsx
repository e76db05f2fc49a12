import type { Holiday } from '@enclave/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { HolidayAddForm } from './holiday-add-form';
import { HolidayImportForm } from './holiday-import-form';
import { HolidayTable } from './holiday-table';
import type { CalendarChange } from './work-hours-changes';

/**
 * The organisation's holiday calendar, one year at a time: holidays (off) and adjusted working days (调休上班),
 * added by hand, imported from a file, or loaded from the PRC calendar shipped with Enclave.
 */
export function HolidayCalendarCard() {
  const { t } = useTranslation();
  const [holidays, setHolidays] = useState<Holiday[]>([]);
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [loadError, setLoadError] = useState<string | undefined>();
  const [report, setReport] = useState<string | undefined>();
  const prc = useServerCall();
  const remove = useServerCall();
  const headingId = useId();
  const yearId = useId();

  useEffect(() => {
    api.endpoint('listHolidays')({ query: {} }).then(
      (answer) => setHolidays(answer.holidays),
      (failure: unknown) => setLoadError(describeError(failure)),
    );
  }, []);

  /** Shows the calendar after a change and says what it did; a day added by hand turns the calendar to its year. */
  function changed(change: CalendarChange, message: string, yearOfDay?: number) {
    setHolidays(change.holidays);
    setReport(message);
    if (yearOfDay !== undefined) setYear(yearOfDay);
  }

  async function loadPrc() {
    setReport(undefined);
    await prc.run(async () => {
      const answer = await api.endpoint('addHolidays')({ body: { source: 'prc' } });
      changed(answer, t('workHoursAdmin.prcLoaded', { added: answer.added, updated: answer.updated }));
    });
  }

  async function removeDay(date: string) {
    setReport(undefined);
    await remove.run(async () => setHolidays((await api.endpoint('removeHoliday')({ params: { date } })).holidays));
  }

  const years = [...new Set([year, new Date().getFullYear(), new Date().getFullYear() + 1, ...holidays.map((day) => Number(day.date.slice(0, 4)))])].sort((a, b) => a - b);
  const shown = holidays.filter((day) => day.date.startsWith(`${year}-`));

  return (
    <section className="card work-hours__card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('workHoursAdmin.calendarTitle')}</h2>
      <p className="muted">{t('workHoursAdmin.calendarExplained')}</p>
      <FormError message={loadError} />
      <div className="work-hours__calendar-bar">
        <div className="field work-hours__year">
          <label htmlFor={yearId}>{t('workHoursAdmin.year')}</label>
          <select id={yearId} value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button" disabled={prc.busy} onClick={() => void loadPrc()}>
          {t('workHoursAdmin.loadPrc')}
        </button>
      </div>
      <FormError message={prc.error ?? remove.error} />
      {report && (
        <p className="notice notice--success" role="status">
          {report}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="muted">{t('workHoursAdmin.noDays', { year })}</p>
      ) : (
        <HolidayTable year={year} days={shown} busy={remove.busy} onRemove={(date) => void removeDay(date)} />
      )}
      <HolidayAddForm onChanged={changed} />
      <HolidayImportForm onChanged={changed} />
    </section>
  );
}

