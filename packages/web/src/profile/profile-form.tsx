import { locales, type Locale } from '@enclave/protocol';
import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useMe, useSession } from '../session/session-context';
import { FormError } from '../ui/form-error';
import { deviceTimeZone } from './time-zone';

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };
/** Every whole second the server accepts, 0 (off) to 10. */
const UNDO_SEND_CHOICES = Array.from({ length: 11 }, (_, seconds) => seconds);

export function ProfileForm() {
  const { t } = useTranslation();
  const me = useMe();
  const session = useSession();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [avatar, setAvatar] = useState<string | null>(me.avatar);
  const [locale, setLocale] = useState<Locale | ''>(me.locale ?? '');
  const [timeZone, setTimeZone] = useState(me.timeZone ?? '');
  const [undoSendSeconds, setUndoSendSeconds] = useState(session.preferences.undoSendSeconds);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);

  function pickAvatar(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    // The server checks type and size again; reading it here only shows a preview before saving.
    const reader = new FileReader();
    reader.onload = () => setAvatar(typeof reader.result === 'string' ? reader.result : null);
    reader.readAsDataURL(file);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const { user } = await api.endpoint('updateMyProfile')({ body: { displayName, avatar, locale: locale || null, timeZone: timeZone || null, undoSendSeconds } });
      session.replaceUser(user);
      session.replacePreferences({ ...session.preferences, undoSendSeconds });
      setSaved(true);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="admin-form" onSubmit={save}>
      <label className="field">
        <span>{t('account.displayName')}</span>
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={64} required />
      </label>
      <div className="field">
        <span>{t('account.avatar')}</span>
        {avatar && <img className="account__avatar" src={avatar} alt={t('account.avatarPreview')} width={64} height={64} />}
        <input type="file" accept="image/png,image/jpeg,image/webp" aria-label={t('account.avatar')} onChange={pickAvatar} />
        <small className="muted">{t('account.avatarHelp')}</small>
        {avatar && (
          <button type="button" className="button button--small" onClick={() => setAvatar(null)}>
            {t('account.removeAvatar')}
          </button>
        )}
      </div>
      <label className="field">
        <span>{t('account.language')}</span>
        <select value={locale} onChange={(e) => setLocale(e.target.value as Locale | '')}>
          <option value="">{t('account.languageBrowser')}</option>
          {locales.map((code) => (
            <option key={code} value={code} lang={code}>
              {LANGUAGE_NAMES[code]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('account.timeZone')}</span>
        <select value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
          <option value="">{t('account.timeZoneDevice', { zone: deviceTimeZone() })}</option>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('undoSend.preference')}</span>
        <select value={undoSendSeconds} onChange={(e) => setUndoSendSeconds(Number(e.target.value))}>
          {UNDO_SEND_CHOICES.map((seconds) => (
            <option key={seconds} value={seconds}>
              {seconds === 0 ? t('undoSend.off') : t('undoSend.seconds', { count: seconds })}
            </option>
          ))}
        </select>
        <small className="muted">{t('undoSend.help')}</small>
      </label>
      <FormError message={error} />
      {saved && (
        <p className="notice notice--success" role="status">
          {t('account.saved')}
        </p>
      )}
      <div className="admin-form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('account.save')}
        </button>
      </div>
    </form>
  );
}
