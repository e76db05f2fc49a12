import type { EndpointOutput } from '@enclave/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';

type Enrolment = EndpointOutput<'enrolTwoFactor'>;

/**
 * Enrolment from start to finish: a QR code (the server's SVG shown as an image, which the CSP allows as a data:
 * URL), the first code, then the recovery codes, shown once. `onDone` runs after the person has seen them.
 */
export function TwoFactorSetup({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<Enrolment | undefined>();
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  const start = () => run(async () => setEnrolment(await api.endpoint('enrolTwoFactor')()));
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => setRecoveryCodes((await api.endpoint('confirmTwoFactor')({ body: { code: code.trim() } })).recoveryCodes));
  };

  if (recoveryCodes) {
    return (
      <div className="two-factor">
        <h3>{t('twoFactor.recoveryTitle')}</h3>
        <p className="muted">{t('twoFactor.recoveryExplained')}</p>
        <ul className="two-factor__codes" aria-label={t('twoFactor.recoveryTitle')}>
          {recoveryCodes.map((recovery) => (
            <li key={recovery}>
              <code>{recovery}</code>
            </li>
          ))}
        </ul>
        <button type="button" className="button button--primary" onClick={onDone}>
          {t('twoFactor.recoverySaved')}
        </button>
      </div>
    );
  }
  if (!enrolment) {
    return (
      <div className="two-factor">
        <p className="muted">{t('twoFactor.explained')}</p>
        <FormError message={error} />
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void start()}>
          {t('twoFactor.setUp')}
        </button>
      </div>
    );
  }
  return (
    <form className="two-factor" onSubmit={confirm}>
      <p className="muted">{t('twoFactor.scan')}</p>
      <img className="two-factor__qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`} alt={t('twoFactor.qrAlt')} width={200} height={200} />
      <p>
        {t('twoFactor.key')}: <code className="two-factor__secret">{enrolment.secret}</code>
      </p>
      <label className="field">
        <span>{t('twoFactor.code')}</span>
        <input value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required />
      </label>
      <FormError message={error} />
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('twoFactor.confirm')}
      </button>
    </form>
  );
}
