import { INVITE_DEFAULT_HOURS, InviteRole, type CreatedInvite } from '@enclave/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { useLabels } from '../labels/labels-context';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

/** The expiries offered, in hours: a day, the default three days, a week, the 30-day maximum. */
const EXPIRIES = [24, INVITE_DEFAULT_HOURS, 168, 720];

/**
 * The settings of a new invite. Into a room it admits existing accounts; into the organisation (no `roomId`) it
 * also chooses the role and clearance the newcomer's account gets.
 */
export function InviteForm({ roomId, onCreated, onCancel }: { roomId?: string; onCreated: (invite: CreatedInvite) => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [expiresInHours, setExpiresInHours] = useState(INVITE_DEFAULT_HOURS);
  const [maxUses, setMaxUses] = useState(1);
  const [requiresApproval, setRequiresApproval] = useState(false);
  const [role, setRole] = useState<InviteRole>('member');
  const [clearance, setClearance] = useState('');
  const { busy, error, run } = useServerCall();

  async function create(event: FormEvent) {
    event.preventDefault();
    const newcomer = roomId === undefined ? { role, ...(clearance ? { clearance } : {}) } : { roomId };
    await run(async () => onCreated((await api.endpoint('createInvite')({ body: { ...newcomer, expiresInHours, maxUses, requiresApproval } })).invite));
  }

  return (
    <form className="admin-form invite-form" onSubmit={create}>
      <label className="field">
        <span>{t('invites.expiresIn')}</span>
        <select value={expiresInHours} onChange={(e) => setExpiresInHours(Number(e.target.value))}>
          {EXPIRIES.map((hours) => (
            <option key={hours} value={hours}>
              {hours < 48 ? t('invites.hours', { count: hours }) : t('invites.days', { count: hours / 24 })}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('invites.maxUses')}</span>
        <input type="number" min={1} max={1000} value={maxUses} onChange={(e) => setMaxUses(Math.max(1, Number(e.target.value) || 1))} required />
      </label>
      {roomId === undefined && (
        <>
          <label className="field">
            <span>{t('invites.role')}</span>
            <select value={role} onChange={(e) => setRole(e.target.value as InviteRole)}>
              {InviteRole.options.map((option) => (
                <option key={option} value={option}>
                  {t(`roles.${option}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('invites.clearance')}</span>
            <select value={clearance} onChange={(e) => setClearance(e.target.value)}>
              <option value="">{t('invites.clearanceDefault')}</option>
              {labels.list.map((label) => (
                <option key={label.id} value={label.id}>
                  {labels.nameOf(label.id)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={requiresApproval} onChange={(e) => setRequiresApproval(e.target.checked)} />
        {t('invites.requiresApproval')}
      </label>
      <FormError message={error} />
      <div className="admin-form__actions">
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('invites.creating') : t('invites.create')}
        </button>
      </div>
    </form>
  );
}
