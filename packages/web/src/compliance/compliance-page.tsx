import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../session/session-context';
import { AuditLog } from './audit-log';
import { ReviewQueue } from './review-queue';

type Section = 'reviews' | 'audit';

/**
 * The compliance officer's desk: messages held by DLP review rules, and the audit log with its chain check. A role
 * of its own, apart from administrators, so that who sets the rules and who reads what they caught are two people.
 */
export function CompliancePage() {
  const { t } = useTranslation();
  const me = useMe();
  const [section, setSection] = useState<Section>('reviews');
  if (me.role !== 'compliance') {
    return (
      <div className="empty-state">
        <h1>{t('compliance.title')}</h1>
        <p className="muted">{t('compliance.onlyOfficers')}</p>
      </div>
    );
  }
  const sections: [Section, string][] = [
    ['reviews', t('compliance.reviewsTab')],
    ['audit', t('compliance.auditTab')],
  ];
  return (
    <div className="admin">
      <header className="admin__header">
        <h1>{t('compliance.title')}</h1>
        <p className="muted">{t('compliance.subtitle')}</p>
      </header>
      <div className="tabs" role="tablist">
        {sections.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={section === id} className="tabs__tab" onClick={() => setSection(id)}>
            {label}
          </button>
        ))}
      </div>
      {section === 'reviews' && <ReviewQueue />}
      {section === 'audit' && <AuditLog />}
    </div>
  );
}
