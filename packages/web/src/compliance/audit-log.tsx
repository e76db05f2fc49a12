import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useFormatTime } from '../ui/use-format-time';
import { auditQueryOf, NO_AUDIT_FILTER, type AuditFilter } from './audit-filter';
import { AuditFilters } from './audit-filters';
import { AuditRow } from './audit-row';
import { useAuditPages } from './use-audit-pages';

/** The audit log in words, newest first, filtered on the server, with whether its hash chain still verifies. */
export function AuditLog() {
  const { t } = useTranslation();
  const { timeZone } = useFormatTime();
  const [filter, setFilter] = useState<AuditFilter>(NO_AUDIT_FILTER);
  // The chosen room's name, kept from the entry it was picked in, since later pages may not mention it.
  const [roomName, setRoomName] = useState<string | undefined>();
  const query = auditQueryOf(filter, timeZone);
  const pages = useAuditPages(query);
  const headingId = useId();
  const exportHelpId = useId();
  const filtered = JSON.stringify(filter) !== JSON.stringify(NO_AUDIT_FILTER);

  function pickRoom(roomId: string) {
    setRoomName(pages.names[roomId]);
    setFilter({ ...filter, roomId });
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
      <AuditFilters filter={filter} onChange={setFilter} roomName={roomName} />
      <div className="audit-actions">
        {filtered && (
          <button type="button" className="button" onClick={() => setFilter(NO_AUDIT_FILTER)}>
            {t('compliance.clearFilter')}
          </button>
        )}
        <a className="button" href={api.auditExportUrl(query)} download aria-describedby={exportHelpId}>
          {t('compliance.exportCsv')}
        </a>
        <small id={exportHelpId} className="muted">
          {t('compliance.exportCsvHelp')}
        </small>
      </div>
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
                <AuditRow key={entry.seq} entry={entry} names={pages.names} onPerson={(actorId) => setFilter({ ...filter, actorId })} onRoom={pickRoom} />
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
