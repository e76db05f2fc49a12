import { URGENT_REASON_MAX } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-actions';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

/**
 * Sends the composer's message urgent, ringing through recipients' quiet hours, with the written reason everyone
 * who sees it reads. The client does not know the organisation's urgent policy (it also depends on the room), so
 * everyone is offered the choice and a refusal says what to do instead; the text stays in the composer then.
 * `onSend` resolves false when the sender called it off (in the send guard's question).
 */
export function UrgentDialog({ onSend, onClose }: { onSend: (reason: string) => Promise<boolean>; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  // A sender the policy leaves out is told what they can do instead.
  const { busy, error, run } = useServerCall((failure) =>
    failure instanceof EnclaveApiError && failure.code === 'URGENT_NOT_ALLOWED' ? `${describeError(failure)} ${t('urgent.notAllowedHint')}` : describeError(failure),
  );
  const explainedId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    let sent = false;
    if (await run(async () => (sent = await onSend(reason.trim())))) {
      if (sent) onClose();
    }
  }

  return (
    <Dialog title={t('urgent.title')} onClose={onClose}>
      <form className="dialog__body" onSubmit={submit}>
        <p id={explainedId}>{t('urgent.explained')}</p>
        <label className="field">
          <span>{t('urgent.reason')}</span>
          <textarea value={reason} onChange={(event) => setReason(event.target.value)} aria-describedby={explainedId} maxLength={URGENT_REASON_MAX} rows={3} required />
        </label>
        <FormError message={error} />
        <DialogActions submitLabel={t('urgent.send')} disabled={busy || reason.trim() === ''} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
