import { useTranslation } from 'react-i18next';
import { ConsolePage } from '../layout/console-page';
import { AuditLog } from './audit-log';
import { CheckpointsView } from './checkpoints-view';
import { CopyChain } from './copy-chain';
import { ExportPanel } from './export-panel';
import { RecordsSearch } from './records-search';
import { HoldsPanel } from './holds-panel';
import { RetentionPanel } from './retention-panel';
import { ReviewQueue } from './review-queue';
import { TraceALeak } from './trace-a-leak';

/**
 * The compliance officer's desk: messages held by DLP review rules, and the audit log with its chain check. A role
 * of its own, apart from administrators, so that who sets the rules and who reads what they caught are two people.
 */
export function CompliancePage() {
  const { t } = useTranslation();
  return (
    <ConsolePage
      role="compliance"
      title={t('compliance.title')}
      subtitle={t('compliance.subtitle')}
      forbidden={t('compliance.onlyOfficers')}
      sections={[
        { id: 'reviews', label: t('compliance.reviewsTab'), content: () => <ReviewQueue /> },
        { id: 'audit', label: t('compliance.auditTab'), content: () => <AuditLog /> },
        { id: 'checkpoints', label: t('compliance.checkpointsTab'), content: () => <CheckpointsView /> },
        { id: 'copies', label: t('compliance.copyChainTab'), content: () => <CopyChain /> },
        { id: 'trace', label: t('compliance.traceTab'), content: () => <TraceALeak /> },
        { id: 'export', label: t('compliance.exportTab'), content: () => <ExportPanel /> },
        { id: 'records', label: t('compliance.recordsTab'), content: () => <RecordsSearch /> },
        { id: 'holds', label: t('compliance.holdsTab'), content: () => <HoldsPanel /> },
        { id: 'retention', label: t('compliance.retentionTab'), content: () => <RetentionPanel /> },
      ]}
    />
  );
}
