import { locales, pickLocale, type Locale } from '@enclave/protocol';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, enAuditWords } from './en';
import { zhCN, zhCNAuditWords } from './zh-cn';

const STORAGE_KEY = 'enclave.locale';

export async function setupI18n(): Promise<void> {
  // The reader's explicit choice wins over the browser's language list.
  const locale = readStoredLocale() ?? pickLocale(navigator.languages);
  await i18next.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: [...locales],
    resources: { en: { translation: en, audit: enAuditWords }, 'zh-CN': { translation: zhCN, audit: zhCNAuditWords } },
    interpolation: { escapeValue: false }, // React escapes already.
  });
  document.documentElement.lang = locale;
}

export async function switchLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Without storage the choice lasts until the page is closed, which is still what the reader asked for.
  }
  await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}

export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : 'en';
}

function readStoredLocale(): Locale | undefined {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : undefined;
  } catch {
    // Privacy settings can disable storage; the browser's language list is then the only hint.
    return undefined;
  }
}

export function isLocale(value: unknown): value is Locale {
  return (locales as readonly unknown[]).includes(value);
}
