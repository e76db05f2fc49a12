import { ApprovalStatus, type Approval } from '@enclave/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { ApprovalRow } from './approvals-row';

/**
 * Requests waiting for a second person (separation of duties): role grants, admissions into private groups, DLP
 * review rules that see a lot. An admin sees them all; the buttons show only where they may decide, never on their
 * own requests.
 */
export function ApprovalsSection() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ApprovalStatus>('pending');
  const [approvals, setApprovals] = useState<Approval[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const headingId = useId();

  const reload = useCallback(() => {
    setApprovals(undefined);
    api.endpoint('listApprovals')({ query: { status } }).then(({ approvals }) => setApprovals(approvals), (failure: unknown) => setError(describeError(failure)));
  }, [status]);
  useEffect(reload, [reload]);

  async function decide(approval: Approval, decision: 'approve' | 'reject') {
    setError(undefined);
    setNotice(undefined);
    try {
      await api.endpoint(decision === 'approve' ? 'approveApproval' : 'rejectApproval')({ params: { approvalId: approval.id } });
      setNotice(t(decision === 'approve' ? 'approvals.approvedNotice' : 'approvals.rejectedNotice'));
      reload();
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('approvals.title')}</h2>
      <p className="muted">{t('approvals.explained')}</p>
      <div className="tabs tabs--small" role="tablist" aria-label={t('approvals.statusTabs')}>
        {ApprovalStatus.options.map((option) => (
          <button key={option} type="button" role="tab" aria-selected={status === option} className="tabs__tab" onClick={() => setStatus(option)}>
            {t(`approvals.status.${option}`)}
          </button>
        ))}
      </div>
      {notice && (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      )}
      <FormError message={error} />
      {approvals === undefined && !error && <p className="muted">{t('common.loading')}</p>}
      {approvals?.length === 0 && <p className="muted">{t('approvals.empty')}</p>}
      <ol className="held-list">
        {approvals?.map((approval) => (
          <li key={approval.id}>
            <ApprovalRow approval={approval} onDecide={(decision) => void decide(approval, decision)} />
          </li>
        ))}
      </ol>
    </section>
  );
}
