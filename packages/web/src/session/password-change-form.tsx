import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { describePasswordError } from './password-problem';

/**
 * Changes one's own password: the current one, then the new one twice. The server's policy decides; the minimum
 * length is shown beforehand so nobody has to learn it from a refusal. Other devices are signed out by the change.
 */
export function PasswordChangeForm({ minLength, onChanged }: { minLength: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, run } = useServerCall(describePasswordError);
  const helpId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(next !== repeated);
    if (next !== repeated) return;
    const changed = await run(() => api.endpoint('changeMyPassword')({ body: { currentPassword: current, newPassword: next } }));
    if (!changed) return;
    setCurrent('');
    setNext('');
    setRepeated('');
    onChanged();
  }

  return (
    <form className="admin-form" onSubmit={submit} aria-label={t('password.formTitle')}>
      <label className="field">
        <span>{t('password.current')}</span>
        <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" required />
      </label>
      <label className="field">
        <span>{t('password.new')}</span>
        <input type="password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" aria-describedby={helpId} required />
        <small id={helpId} className="muted">
          {t('password.rules', { minimum: minLength })}
        </small>
      </label>
      <label className="field">
        <span>{t('password.repeat')}</span>
        <input type="password" value={repeated} onChange={(e) => setRepeated(e.target.value)} autoComplete="new-password" required />
      </label>
      <FormError message={mismatch ? t('password.mismatch') : error} />
      <div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('password.submit')}
        </button>
      </div>
    </form>
  );
}
