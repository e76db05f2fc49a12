import type { User } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { describePasswordError } from '../session/password-problem';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';

export function ResetPasswordDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<'reset' | 'awaiting-approval' | undefined>();

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setDone(undefined);
    try {
      await api.endpoint('resetPassword')({ params: { userId: user.id }, body: { password } });
      setDone('reset');
      setPassword('');
    } catch (failure) {
      // An administrator's or officer's password waits for a second admin: the request was filed, nothing failed.
      if (failure instanceof EnclaveApiError && failure.code === 'APPROVAL_PENDING') {
        setDone('awaiting-approval');
        setPassword('');
      } else setError(describePasswordError(failure));
    }
  }

  return (
    <Dialog title={t('console.resetPasswordNamed', { name: user.displayName })} onClose={onClose}>
      <form className="admin-form" onSubmit={save}>
        <label className="field">
          <span>{t('console.newPassword')}</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required />
        </label>
        <FormError message={error} />
        {done === 'reset' && (
          <p className="notice notice--success" role="status">
            {t('console.passwordReset', { name: user.displayName })}
          </p>
        )}
        {done === 'awaiting-approval' && (
          <p className="notice" role="status">
            {t('console.passwordResetPending', { name: user.displayName })}
          </p>
        )}
        <div className="admin-form__actions">
          <button type="submit" className="button button--primary">
            {t('console.resetPassword')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
