import type { Role } from '@enclave/protocol';
import { useState, type ReactNode } from 'react';
import { useMe } from '../session/session-context';

export interface ConsoleSection {
  id: string;
  label: string;
  content: () => ReactNode;
}

/**
 * A console for one role (the admin's, the compliance officer's): a title, tabs and the chosen tab's section.
 * Anyone else gets a page saying who it is for; the server refuses them the data either way.
 */
export function ConsolePage({ role, title, subtitle, forbidden, sections }: { role: Role; title: string; subtitle: string; forbidden: string; sections: ConsoleSection[] }) {
  const me = useMe();
  const [chosen, setChosen] = useState(sections[0]!.id);
  if (me.role !== role) {
    return (
      <div className="empty-state">
        <h1>{title}</h1>
        <p className="muted">{forbidden}</p>
      </div>
    );
  }
  const section = sections.find((candidate) => candidate.id === chosen) ?? sections[0]!;
  return (
    <div className="admin">
      <header className="admin__header">
        <h1>{title}</h1>
        <p className="muted">{subtitle}</p>
      </header>
      <div className="tabs" role="tablist">
        {sections.map(({ id, label }) => (
          <button key={id} type="button" role="tab" aria-selected={section.id === id} className="tabs__tab" onClick={() => setChosen(id)}>
            {label}
          </button>
        ))}
      </div>
      {section.content()}
    </div>
  );
}
