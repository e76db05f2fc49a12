import { HolidayKind } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { HolidayKindSelect } from './holiday-add-form';
import type { CalendarChange } from './work-hours-changes';

type ImportFormat = 'ics' | 'csv';

/**
 * An ICS or CSV file, read in the browser and sent as text; the server reads it whole before writing anything, so
 * a file it cannot read leaves the calendar as it was. An ICS file's events are all one kind unless their summary
 * says they are working days, so its kind is chosen here.
 */
export function HolidayImportForm({ onChanged }: { onChanged: (change: CalendarChange, message: string) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | undefined>();
  const [kind, setKind] = useState<HolidayKind>('holiday');
  const { busy, error, run } = useServerCall((failure) => describeImportError(failure, t));
  const headingId = useId();
  const helpId = useId();
  const kindId = useId();
  const format = file && formatOf(file);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file || !format) return;
    await run(async () => {
      const text = await file.text();
      const answer = await api.endpoint('addHolidays')({ body: format === 'ics' ? { source: 'ics', text, kind } : { source: 'csv', text } });
      onChanged(answer, t('workHoursAdmin.imported', { file: file.name, added: answer.added, updated: answer.updated }));
    });
  }

  return (
    <form className="admin-form work-hours__import" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId} className="work-hours__subtitle">
        {t('workHoursAdmin.importTitle')}
      </h3>
      <label className="field">
        <span>{t('workHoursAdmin.importFile')}</span>
        <input type="file" accept=".ics,.csv,text/calendar,text/csv" aria-describedby={helpId} onChange={(e) => setFile(e.target.files?.[0])} />
        <small id={helpId} className="muted">
          {t('workHoursAdmin.importHelp')}
        </small>
      </label>
      {format === 'ics' && (
        <div className="field">
          <label htmlFor={kindId}>{t('workHoursAdmin.icsKind')}</label>
          <HolidayKindSelect id={kindId} value={kind} onChange={setKind} />
        </div>
      )}
      {file && !format && <FormError message={t('workHoursAdmin.importUnknownType')} />}
      <FormError message={error} />
      <div className="admin-form__actions">
        <button type="submit" className="button button--primary" disabled={busy || !format}>
          {t('workHoursAdmin.import')}
        </button>
      </div>
    </form>
  );
}

/** ICS or CSV by the file's name or type; anything else is not offered to the server. */
function formatOf(file: File): ImportFormat | undefined {
  const name = file.name.toLowerCase();
  if (name.endsWith('.ics') || file.type === 'text/calendar') return 'ics';
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'csv';
  return undefined;
}

/** The server's message, and the line of the CSV file it stopped at, so the admin knows where to look. */
function describeImportError(failure: unknown, t: TFunction): string {
  const message = describeError(failure);
  const line = failure instanceof EnclaveApiError && failure.code === 'CALENDAR_IMPORT_INVALID' ? failure.data?.['line'] : undefined;
  return typeof line === 'number' ? t('workHoursAdmin.importFailedAtLine', { message, line }) : message;
}
