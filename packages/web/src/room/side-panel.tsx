import { useId, type ReactNode } from 'react';

/** A panel beside the timeline (a thread, the pins); over the room on a phone. Esc closes it (see RoomView). */
export function SidePanel({ title, closeLabel, onClose, children }: { title: string; closeLabel: string; onClose: () => void; children: ReactNode }) {
  const titleId = useId();
  return (
    <aside className="side-panel" aria-labelledby={titleId}>
      <header className="side-panel__header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label={closeLabel} title={closeLabel} onClick={onClose}>
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      </header>
      <div className="side-panel__body">{children}</div>
    </aside>
  );
}
