import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** Rule names as a sentence needs them: each quoted, joined the way the language lists things. */
export function useRuleList(): (names: string[]) => string {
  const { t } = useTranslation();
  return useCallback((names: string[]) => names.map((name) => t('dlpNotice.quoted', { name })).join(t('dlpNotice.listSeparator')), [t]);
}
