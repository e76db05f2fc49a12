import type { WorkHoursPolicy } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { draftOf, ScheduleFields, scheduleOf } from './schedule-fields';
import type { ChangeWorkHours } from './work-hours-changes';

/** The organisation's working days, hours and time zone, and whether people may set hours of their own. */
export function OrganisationHoursForm({ policy, change }: { policy: WorkHoursPolicy; change: ChangeWorkHours }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => draftOf(policy.organisation));
  const [personalHoursAllowed, setPersonalHoursAllowed] = useState(policy.personalHoursAllowed);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const schedule = scheduleOf(draft);
  const changed = JSON.stringify(schedule) !== JSON.stringify(policy.organisation) || personalHoursAllowed !== policy.personalHoursAllowed;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!schedule) return;
    setSaved(false);
    if (await run(() => change({ organisation: schedule, personalHoursAllowed }))) setSaved(true);
  }

  return (
    <section className="card work-hours__card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('workHoursAdmin.organisationTitle')}</h2>
      <p className="muted">{t('workHoursAdmin.organisationExplained')}</p>
      <form className="settings-form" onSubmit={submit}>
        <ScheduleFields draft={draft} onChange={setDraft} disabled={busy} />
        <label className="checkbox">
          <input type="checkbox" checked={personalHoursAllowed} disabled={busy} onChange={(e) => setPersonalHoursAllowed(e.target.checked)} />
          <span>{t('workHoursAdmin.personalHoursAllowed')}</span>
        </label>
        <FormError message={error} />
        {saved && !changed && (
          <p className="notice notice--success" role="status">
            {t('workHoursAdmin.saved')}
          </p>
        )}
        <div>
          <button type="submit" className="button button--primary" disabled={busy || !schedule || !changed}>
            {t('console.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
