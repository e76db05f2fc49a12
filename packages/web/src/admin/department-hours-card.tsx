import type { Department, Schedule, WorkHoursPolicy } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { draftOf, ScheduleFields, scheduleOf, useDescribeSchedule } from './schedule-fields';
import { flattenTree, useDepartments } from './use-departments';
import type { ChangeWorkHours } from './work-hours-changes';

/**
 * Departments in tree order, each with its own hours or "inherits": a department without hours of its own follows
 * its nearest parent that has them, else the organisation's.
 */
export function DepartmentHoursCard({ policy, change }: { policy: WorkHoursPolicy; change: ChangeWorkHours }) {
  const { t } = useTranslation();
  const { departments, error } = useDepartments();
  const headingId = useId();
  const own = new Map(policy.departments.map((entry) => [entry.departmentId, entry.schedule]));
  return (
    <section className="card work-hours__card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('workHoursAdmin.departmentsTitle')}</h2>
      <p className="muted">{t('workHoursAdmin.departmentsExplained')}</p>
      <FormError message={error} />
      {departments.length === 0 ? (
        <p className="muted">{t('workHoursAdmin.noDepartments')}</p>
      ) : (
        <ul className="work-hours__departments">
          {flattenTree(departments).map(({ department, depth }) => (
            <DepartmentHoursRow key={department.id} department={department} depth={depth} own={own.get(department.id)} organisation={policy.organisation} change={change} />
          ))}
        </ul>
      )}
    </section>
  );
}

function DepartmentHoursRow(props: { department: Department; depth: number; own: Schedule | undefined; organisation: Schedule; change: ChangeWorkHours }) {
  const { department, own } = props;
  const { t } = useTranslation();
  const describe = useDescribeSchedule();
  const [draft, setDraft] = useState<ReturnType<typeof draftOf> | undefined>();
  const { busy, error, run } = useServerCall();
  const schedule = draft && scheduleOf(draft);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (schedule && (await run(() => props.change({ department: { departmentId: department.id, schedule } })))) setDraft(undefined);
  }

  return (
    <li className="work-hours__department" style={{ paddingInlineStart: `${props.depth * 1.25}rem` }} aria-label={department.name}>
      <div className="work-hours__department-line">
        <strong>{department.name}</strong>
        <span className="muted">{own ? describe(own) : t('workHoursAdmin.inherits')}</span>
        {!draft && (
          <span className="user-table__actions">
            <button type="button" className="button button--small" onClick={() => setDraft(draftOf(own ?? props.organisation))}>
              {t(own ? 'workHoursAdmin.editOwnHours' : 'workHoursAdmin.setOwnHours')}
            </button>
            {own && (
              <button type="button" className="button button--small" disabled={busy} onClick={() => void run(() => props.change({ department: { departmentId: department.id, schedule: null } }))}>
                {t('workHoursAdmin.removeOwnHours')}
              </button>
            )}
          </span>
        )}
      </div>
      {draft && (
        <form className="settings-form" onSubmit={save} aria-label={t('workHoursAdmin.ownHoursOf', { name: department.name })}>
          <ScheduleFields draft={draft} onChange={setDraft} disabled={busy} />
          <div className="user-table__actions">
            <button type="submit" className="button button--primary button--small" disabled={busy || !schedule}>
              {t('console.save')}
            </button>
            <button type="button" className="button button--small" onClick={() => setDraft(undefined)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      <FormError message={error} />
    </li>
  );
}
