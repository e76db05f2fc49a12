import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface AuditWords {
  /** An action in words; its code when this client is older than the server that wrote it. */
  action(code: string): string;
  /** What a target type is called. */
  target(type: string): string;
  /** A detail's label; an unknown key is spelt out from its name rather than hidden. */
  field(key: string): string;
}

/**
 * The audit log's vocabulary in the reader's language (the `audit` namespace, enAuditWords in en.ts), looked up
 * by the codes the server records, English when the reader's language lacks one.
 */
export function useAuditWords(): AuditWords {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => {
    const lookup = (key: string): string | undefined => {
      const words: unknown = i18n.getResource(language, 'audit', key) ?? i18n.getResource('en', 'audit', key);
      return typeof words === 'string' ? words : undefined;
    };
    return {
      action: (code) => lookup(`actions.${code}`) ?? code,
      target: (type) => lookup(`targets.${type}`) ?? type,
      field: (key) => lookup(`fields.${key}`) ?? spelledOut(key),
    };
  }, [i18n, language]);
}

/** `sessionsEnded` → `sessions ended`. */
function spelledOut(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}
