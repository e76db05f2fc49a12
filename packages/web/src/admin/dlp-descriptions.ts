import type { DlpAction, DlpDetector, DlpScope } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels/labels-context';

/** How many keywords a summary names before it only counts the rest. */
const KEYWORDS_SHOWN = 3;

export interface DlpDescriptions {
  detector(detector: DlpDetector): string;
  scope(scope: DlpScope): string;
  action(action: DlpAction): string;
}

/** One line each for what a rule looks for, where and what it does, as the rule list shows them. */
export function useDlpDescriptions(): DlpDescriptions {
  const { t } = useTranslation();
  const labels = useLabels();
  const list = (items: string[]) => items.join(t('dlp.listSeparator'));
  return {
    detector(detector) {
      switch (detector.kind) {
        case 'builtin':
          return t('dlp.summary.builtin', { name: t(`dlp.builtins.${detector.id}`) });
        case 'keywords': {
          const shown = detector.words.slice(0, KEYWORDS_SHOWN);
          const more = detector.words.length - shown.length;
          const words = list(shown);
          return more > 0 ? t('dlp.summary.keywordsAndMore', { words, count: more }) : t('dlp.summary.keywords', { words });
        }
        case 'regex':
          return t('dlp.summary.regex', { pattern: detector.pattern });
      }
    },
    scope(scope) {
      const parts: string[] = [];
      if (scope.roomIds) parts.push(t('dlp.summary.rooms', { count: scope.roomIds.length }));
      // Within one condition any listed value will do; across conditions all must hold.
      if (scope.ceilings) parts.push(t('dlp.summary.ceilings', { names: scope.ceilings.map(labels.nameOf).join(t('dlp.summary.or')) }));
      if (scope.audiences) parts.push(t('dlp.summary.audiences', { names: scope.audiences.map((audience) => t(`dlp.audiences.${audience}`)).join(t('dlp.summary.or')) }));
      return parts.length === 0 ? t('dlp.everywhere') : parts.join(t('dlp.summary.and'));
    },
    action: (action) => t(`dlp.actions.${action}`),
  };
}
