import { locales, type Locale } from '@enclave/protocol';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale, switchLocale } from '../i18n/i18n';

/** Each language is named in itself, so that a reader lost in the wrong one can still find their own. */
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

export function LanguageSwitcher() {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="language-switcher">
      <label htmlFor={id}>{t('common.language')}</label>
      <select id={id} value={currentLocale()} onChange={(event) => void switchLocale(event.target.value as Locale)}>
        {locales.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {LANGUAGE_NAMES[locale]}
          </option>
        ))}
      </select>
    </div>
  );
}
