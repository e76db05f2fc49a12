import { WorkingHours, type Schedule } from '@enclave/protocol';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** A schedule being edited: the fields as typed, checked against the protocol's own rules before it is saved. */
export interface ScheduleDraft {
  days: number[];
  start: string;
  end: string;
  timeZone: string;
}

export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function draftOf(schedule: Schedule): ScheduleDraft {
  return { days: [...schedule.hours.days], start: schedule.hours.start, end: schedule.hours.end, timeZone: schedule.timeZone };
}

/** The schedule the draft stands for, or undefined while it breaks a rule (no day, a time that is not HH:MM, an end before the start). */
export function scheduleOf(draft: ScheduleDraft): Schedule | undefined {
  const hours = WorkingHours.safeParse({ days: [...draft.days].sort((a, b) => a - b), start: draft.start.trim(), end: draft.end.trim() });
  return hours.success ? { hours: hours.data, timeZone: draft.timeZone } : undefined;
}

/** Weekday names in the reader's language, by ISO number (1 is Monday): 2024-01-01 was a Monday. */
export function useWeekdayNames(width: 'short' | 'long'): Map<number, string> {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(i18n.language, { weekday: width, timeZone: 'UTC' });
    return new Map(ISO_WEEKDAYS.map((day) => [day, format.format(Date.UTC(2024, 0, day))]));
  }, [i18n.language, width]);
}

/** "Mon–Fri 09:00–18:00 (Asia/Shanghai)": a schedule in one line, for lists. */
export function useDescribeSchedule(): (schedule: Schedule) => string {
  const names = useWeekdayNames('short');
  return (schedule) => `${schedule.hours.days.map((day) => names.get(day)).join(' ')} ${schedule.hours.start}–${schedule.hours.end} (${schedule.timeZone})`;
}

/**
 * Working days, start and end, and time zone. Times are typed as HH:MM rather than picked, because a working day
 * may end at 24:00, which a browser's time picker cannot hold.
 */
export function ScheduleFields({ draft, onChange, disabled }: { draft: ScheduleDraft; onChange: (draft: ScheduleDraft) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const names = useWeekdayNames('short');
  const zones = useTimeZones(draft.timeZone);
  const helpId = useId();
  const zoneId = useId();
  const invalid = scheduleOf(draft) === undefined;

  function toggle(day: number, on: boolean) {
    onChange({ ...draft, days: on ? [...draft.days, day].sort((a, b) => a - b) : draft.days.filter((other) => other !== day) });
  }

  return (
    <fieldset className="dlp-fieldset work-hours__schedule" disabled={disabled}>
      <legend>{t('workHoursAdmin.workingDays')}</legend>
      <div className="dlp-choices">
        {ISO_WEEKDAYS.map((day) => (
          <label key={day} className="checkbox">
            <input type="checkbox" checked={draft.days.includes(day)} onChange={(e) => toggle(day, e.target.checked)} />
            <span>{names.get(day)}</span>
          </label>
        ))}
      </div>
      <div className="work-hours__times">
        <label className="field">
          <span>{t('workHoursAdmin.start')}</span>
          <input value={draft.start} onChange={(e) => onChange({ ...draft, start: e.target.value })} placeholder="09:00" maxLength={5} inputMode="numeric" aria-describedby={helpId} />
        </label>
        <label className="field">
          <span>{t('workHoursAdmin.end')}</span>
          <input value={draft.end} onChange={(e) => onChange({ ...draft, end: e.target.value })} placeholder="18:00" maxLength={5} inputMode="numeric" aria-describedby={helpId} />
        </label>
        {/* The label sits beside the select, not around it, so the select's name is the label alone, not also its options. */}
        <div className="field">
          <label htmlFor={zoneId}>{t('workHoursAdmin.timeZone')}</label>
          <select id={zoneId} value={draft.timeZone} onChange={(e) => onChange({ ...draft, timeZone: e.target.value })}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
      </div>
      <small id={helpId} className={invalid ? 'form-error' : 'muted'}>
        {t(invalid ? 'workHoursAdmin.scheduleInvalid' : 'workHoursAdmin.timesHelp')}
      </small>
    </fieldset>
  );
}

/** The browser's IANA zones, with UTC and the current choice added when the browser does not list them (some leave UTC out). */
function useTimeZones(current: string): string[] {
  return useMemo(() => {
    const zones = new Set(Intl.supportedValuesOf('timeZone'));
    zones.add('UTC');
    zones.add(current);
    return [...zones].sort();
  }, [current]);
}
