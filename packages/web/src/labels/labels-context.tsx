import type { Label } from '@enclave/protocol';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { isLocale } from '../i18n/i18n';

export interface Labels {
  /** The organisation's classification labels, lowest first; empty until loaded. */
  list: Label[];
  byId: ReadonlyMap<string, Label>;
  /** The label's name in the current language, or its id while the list is loading. */
  nameOf(labelId: string): string;
  /** The labels at or below `ceilingId`, lowest first. */
  upTo(ceilingId: string): Label[];
  /** Whether `labelId` ranks strictly above `otherId`. */
  isAbove(labelId: string, otherId: string): boolean;
  reload(): void;
}

export function LabelsProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [list, setList] = useState<Label[]>([]);

  const reload = useCallback(() => {
    api
      .endpoint('listLabels')()
      .then(({ labels }) => setList([...labels].sort((a, b) => a.rank - b.rank)))
      .catch(() => undefined); // Labels then show by id until the next reload succeeds.
  }, []);

  useEffect(reload, [reload]);

  const locale = isLocale(i18n.language) ? i18n.language : 'en';
  const labels = useMemo<Labels>(() => {
    const byId = new Map(list.map((label) => [label.id, label]));
    const rankOf = (labelId: string) => byId.get(labelId)?.rank ?? -1;
    return {
      list,
      byId,
      nameOf: (labelId) => byId.get(labelId)?.names[locale] ?? labelId,
      upTo: (ceilingId) => list.filter((label) => label.rank <= rankOf(ceilingId)),
      isAbove: (labelId, otherId) => rankOf(labelId) > rankOf(otherId),
      reload,
    };
  }, [list, locale, reload]);
  return <LabelsContext.Provider value={labels}>{children}</LabelsContext.Provider>;
}

export function useLabels(): Labels {
  const labels = useContext(LabelsContext);
  if (!labels) throw new Error('useLabels needs a LabelsProvider');
  return labels;
}

const LabelsContext = createContext<Labels | undefined>(undefined);
