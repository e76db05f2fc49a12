import type { Approval, ApprovalPerson } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../profile/time-zone';

/** One request: what it would change, who asked and when, who decided; approve and reject where the viewer may. */
export function ApprovalRow({ approval, onDecide }: { approval: Approval; onDecide: (decision: 'approve' | 'reject') => void }) {
  const { t } = useTranslation();
  const when = (at: string) => formatDateTime(at, { dateStyle: 'medium', timeStyle: 'short' });
  const what = useApprovalSummary(approval);
  return (
    <article className="approval" aria-label={what}>
      <h3 className="approval__title">{what}</h3>
      <p className="muted">
        {t('approvals.requestedBy', { who: personName(approval.requestedBy), when: when(approval.requestedAt) })}
        {approval.status === 'pending' ? ` · ${t('approvals.expires', { when: when(approval.expiresAt) })}` : ''}
      </p>
      {approval.decidedBy && approval.decidedAt && <p className="muted">{t(`approvals.decided.${approval.status}`, { who: personName(approval.decidedBy), when: when(approval.decidedAt) })}</p>}
      {approval.status === 'pending' && !approval.mayDecide && <p className="muted">{t('approvals.notYours')}</p>}
      {approval.mayDecide && (
        <div className="approval__buttons">
          <button type="button" className="button button--primary" onClick={() => onDecide('approve')}>
            {t('approvals.approve')}
          </button>
          <button type="button" className="button" onClick={() => onDecide('reject')}>
            {t('approvals.reject')}
          </button>
        </div>
      )}
    </article>
  );
}

function personName(person: ApprovalPerson): string {
  return person.displayName ? `${person.displayName} (@${person.username})` : person.id;
}

/** What the request would change, in the reader's language. */
function useApprovalSummary(approval: Approval): string {
  const { t } = useTranslation();
  const details = approval.details;
  switch (details.kind) {
    case 'role-grant': {
      const from: string = t(`roles.${details.from}`);
      const to: string = t(`roles.${details.to}`);
      return t('approvals.kind.role-grant', { who: personName(details.person), from, to });
    }
    case 'room-admission': {
      const room: string = details.room.name ?? t('approvals.unnamedRoom');
      return t('approvals.kind.room-admission', { who: personName(details.person), room });
    }
    case 'dlp-rule': {
      const separator: string = t('approvals.reasonSeparator');
      const reasons = details.reasons.map((reason): string => t(`approvals.reason.${reason}`)).join(separator);
      return t('approvals.kind.dlp-rule', { name: details.rule.name, reasons });
    }
    case 'password-reset': {
      const role: string = t(`roles.${details.role}`);
      return t('approvals.kind.password-reset', { who: personName(details.person), role });
    }
  }
}
