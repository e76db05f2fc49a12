import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../ui/form-error';
import { AuditRow } from './audit-row';
import { useAuditPages } from './use-audit-pages';

/** Families of actions offered as suggestions; any exact action name works too. */
const FAMILIES = ['dlp.', 'compliance.', 'auth.', 'user.', 'department.', 'room.', 'message.', 'label.', 'settings.'];

/** The audit log, newest first, with whether its hash chain still verifies. */
export function AuditLog() {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [action, setAction] = useState('');
  const pages = useAuditPages(action);
  const headingId = useId();
  const familiesId = useId();
  const filterHelpId = useId();

  function filter(event: FormEvent) {
    event.preventDefault();
    setAction(typed.trim());
  }

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <div className="audit-heading">
        <h2 id={headingId}>{t('compliance.auditTitle')}</h2>
        {pages.chainIntact !== undefined && (
          <span className={`chain-badge chain-badge--${pages.chainIntact ? 'intact' : 'broken'}`} role="status" title={t(pages.chainIntact ? 'compliance.chainIntactHelp' : 'compliance.chainBrokenHelp')}>
            {pages.chainIntact ? t('compliance.chainIntact') : t('compliance.chainBroken')}
          </span>
        )}
      </div>
      <p className="muted">{pages.chainIntact === false ? t('compliance.chainBrokenHelp') : t('compliance.auditExplained')}</p>
      <form className="audit-filter" onSubmit={filter}>
        <label className="field">
          <span>{t('compliance.actionFilter')}</span>
          <input value={typed} list={familiesId} maxLength={64} spellCheck={false} autoComplete="off" aria-describedby={filterHelpId} onChange={(e) => setTyped(e.target.value)} />
          <small id={filterHelpId} className="muted">
            {t('compliance.actionFilterHelp')}
          </small>
        </label>
        <datalist id={familiesId}>
          {FAMILIES.map((family) => (
            <option key={family} value={family} />
          ))}
        </datalist>
        <div className="audit-filter__buttons">
          <button type="submit" className="button">
            {t('compliance.applyFilter')}
          </button>
          {action && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setTyped('');
                setAction('');
              }}
            >
              {t('compliance.clearFilter')}
            </button>
          )}
        </div>
      </form>
      <FormError message={pages.error} />
      {pages.entries?.length === 0 && <p className="muted">{t('compliance.noEntries')}</p>}
      {pages.entries && pages.entries.length > 0 && (
        <div className="room-table__scroller">
          <table className="room-table audit-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{t('compliance.seq')}</th>
                <th scope="col">{t('compliance.at')}</th>
                <th scope="col">{t('compliance.actor')}</th>
                <th scope="col">{t('compliance.action')}</th>
                <th scope="col">{t('compliance.target')}</th>
                <th scope="col">{t('compliance.data')}</th>
              </tr>
            </thead>
            <tbody>
              {pages.entries.map((entry) => (
                <AuditRow key={entry.seq} entry={entry} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages.hasOlder && (
        <button type="button" className="button" onClick={pages.loadOlder}>
          {t('compliance.older')}
        </button>
      )}
    </section>
  );
}
