import { AFTER_HOURS_REPORT_MAX_WEEKS, type AfterHoursDepartmentRow, type AfterHoursReport } from '@enclave/protocol';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';

/**
 * The after-hours report: how many messages people sent off work, per department and week, so leaders see the load
 * their teams carry. The server keeps counts only, so there is nothing here to click through to: no names of people,
 * no messages. A cell is shaded by its share of the busiest cell.
 */
export function AfterHoursReportSection() {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const [report, setReport] = useState<AfterHoursReport | undefined>();
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();

  const load = useCallback((asked: { from: string; to: string }) => {
    setError(undefined);
    const query = { ...(asked.from ? { from: asked.from } : {}), ...(asked.to ? { to: asked.to } : {}) };
    api.endpoint('getAfterHoursReport')({ query }).then(
      ({ report }) => {
        setReport(report);
        setRange({ from: report.from, to: report.to });
      },
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(() => load({ from: '', to: '' }), [load]);

  function submit(event: FormEvent) {
    event.preventDefault();
    load(range);
  }

  // Week starts are calendar days: formatted on UTC so no time zone moves them to the day before.
  const weekFormat = new Intl.DateTimeFormat(i18n.language, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const weekLabel = (weekStart: string) => weekFormat.format(new Date(`${weekStart}T00:00:00Z`));
  const busiest = Math.max(1, ...(report?.departments.flatMap((row) => row.counts) ?? []));
  const nameOf = (row: AfterHoursDepartmentRow) => (row.departmentId === null ? t('afterHours.noDepartment') : (row.name ?? t('afterHours.deletedDepartment')));

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('afterHours.title')}</h2>
      <p className="muted">{t('afterHours.explained')}</p>
      <form className="after-hours__range" onSubmit={submit}>
        <label className="search-filter">
          <span>{t('afterHours.from')}</span>
          <input type="date" required value={range.from} max={range.to || undefined} onChange={(event) => setRange({ ...range, from: event.target.value })} />
        </label>
        <label className="search-filter">
          <span>{t('afterHours.to')}</span>
          <input type="date" required value={range.to} min={range.from || undefined} onChange={(event) => setRange({ ...range, to: event.target.value })} />
        </label>
        <button type="submit" className="button button--primary">
          {t('afterHours.show')}
        </button>
        <small className="muted">{t('afterHours.maxWeeks', { weeks: AFTER_HOURS_REPORT_MAX_WEEKS })}</small>
      </form>
      <FormError message={error} />
      {report === undefined && !error && <p className="muted">{t('common.loading')}</p>}
      {report && (
        <>
          <p className="muted">{t('afterHours.weeksIn', { timeZone: report.timeZone })}</p>
          {report.departments.length === 0 && <p className="muted">{t('afterHours.empty')}</p>}
          <div className="room-table__scroller">
            <table className="room-table after-hours__table" aria-labelledby={headingId}>
              <thead>
                <tr>
                  <th scope="col">{t('afterHours.department')}</th>
                  {report.weeks.map((week) => (
                    <th scope="col" key={week.weekStart} className="after-hours__count">
                      <time dateTime={week.weekStart}>{weekLabel(week.weekStart)}</time>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.departments.map((row) => (
                  <tr key={row.departmentId ?? ''}>
                    <th scope="row">{nameOf(row)}</th>
                    {row.counts.map((count, index) => (
                      <td key={report.weeks[index]!.weekStart} className="after-hours__count" style={{ backgroundColor: `rgb(79 70 229 / ${((count / busiest) * 0.35).toFixed(2)})` }}>
                        {count}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('afterHours.total')}</th>
                  {report.weeks.map((week) => (
                    <td key={week.weekStart} className="after-hours__count">
                      {week.total}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
          <p className="muted">{t('afterHours.totalExplained')}</p>
        </>
      )}
    </section>
  );
}
