import type { DlpRule } from '@enclave/protocol';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

/** Asks before a rule goes: deleting cannot be undone, while switching the rule off can. */
export function DlpDeleteDialog({ rule, onClose, onDeleted }: { rule: DlpRule; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const { busy, error, run } = useServerCall();

  async function remove(event: FormEvent) {
    event.preventDefault();
    if (await run(() => api.endpoint('deleteDlpRule')({ params: { ruleId: rule.id } }))) onDeleted();
  }

  return (
    <Dialog title={t('dlp.deleteTitle', { name: rule.name })} onClose={onClose}>
      <form className="dialog__body" onSubmit={remove}>
        <p>{t('dlp.deleteExplained')}</p>
        <FormError message={error} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--danger" disabled={busy}>
            {t('dlp.deleteForGood')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
