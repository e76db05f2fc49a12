import { useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { navigate } from '../app/router';
import { useOutbox } from '../protection/outbox-context';
import { ClockIcon } from '../ui/icons';
import { UrgentDialog } from '../urgent/urgent-dialog';
import { SendTimeDialog } from './send-time-dialog';

interface SendOptionsInput {
  roomId: string;
  threadRootId?: string | undefined;
  /** The composer's text as it stands. */
  text: string;
  /** The text went (scheduled or sent urgent): the composer clears it. */
  onSent: () => void;
  disabled: boolean;
}

/**
 * The composer's other ways to send: later, at a chosen time, or now as urgent. `menu` goes beside the send
 * button. The two entry points are for anything in the composer that suggests one of them, such as the hint that a
 * recipient is off work:
 * - `openScheduleFor(at)` opens the schedule dialog at that instant (ms), e.g. the start of their working hours;
 * - `openUrgent()` opens the urgent dialog, which asks for the reason and sends at once.
 * Both send the composer's text only (files wait in the composer) with the room's default label.
 */
export interface SendOptions {
  menu: ReactNode;
  openScheduleFor(at?: number): void;
  openUrgent(): void;
}

type Open = { kind: 'schedule'; at: number | undefined } | { kind: 'urgent' } | undefined;

export function useSendOptions({ roomId, threadRootId, text, onSent, disabled }: SendOptionsInput): SendOptions {
  const { t } = useTranslation();
  const outbox = useOutbox();
  const [open, setOpen] = useState<Open>();
  const [menuOpen, setMenuOpen] = useState(false);
  const trimmed = text.trim();
  const thread = threadRootId ? { threadRootId } : {};
  const close = () => setOpen(undefined);

  const dialog = (shown: NonNullable<Open>) =>
    shown.kind === 'schedule' ? (
      <SendTimeDialog
        title={t('scheduled.schedule')}
        submitLabel={t('scheduled.scheduleAction')}
        initial={shown.at}
        onClose={close}
        onSubmit={async (sendAt) => {
          await api.endpoint('scheduleMessage')({ params: { roomId }, body: { text: trimmed, sendAt, ...thread } });
          onSent();
        }}
      />
    ) : (
      <UrgentDialog
        onClose={close}
        onSend={async (reason) => {
          const sent = await outbox.sendUrgent({ roomId, text: trimmed, ...thread }, reason);
          if (sent) onSent();
          return sent;
        }}
      />
    );

  const menu = (
    <div className="send-options">
      <button
        type="button"
        className="icon-button send-options__toggle"
        aria-label={t('scheduled.moreWays')}
        title={t('scheduled.moreWays')}
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        disabled={disabled}
        onClick={() => setMenuOpen(!menuOpen)}
      >
        <ClockIcon />
      </button>
      {menuOpen && (
        <SendOptionsMenu onClose={() => setMenuOpen(false)}>
          <button type="button" role="menuitem" disabled={trimmed === ''} onClick={() => setOpen({ kind: 'schedule', at: undefined })}>
            {t('scheduled.schedule')}
          </button>
          <button type="button" role="menuitem" disabled={trimmed === ''} onClick={() => setOpen({ kind: 'urgent' })}>
            {t('urgent.choice')}
          </button>
          <button type="button" role="menuitem" onClick={() => navigate({ page: 'scheduled' })}>
            {t('scheduled.seeList')}
          </button>
        </SendOptionsMenu>
      )}
      {open && createPortal(<OwnForms>{dialog(open)}</OwnForms>, document.body)}
    </div>
  );
  return {
    menu,
    openScheduleFor: (at) => setOpen({ kind: 'schedule', at }),
    openUrgent: () => setOpen({ kind: 'urgent' }),
  };
}

/**
 * The dialogs' forms sit outside the composer's form in the page, but React passes their submit events up its own
 * tree, where the composer would take them for a send: they stop here.
 */
function OwnForms({ children }: { children: ReactNode }) {
  return <div onSubmit={(event) => event.stopPropagation()}>{children}</div>;
}

/** The open menu: a pick, Escape or a click elsewhere closes it. */
function SendOptionsMenu({ onClose, children }: { onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      if (!ref.current?.parentElement?.contains(event.target as Node)) closeRef.current();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      closeRef.current();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, []);
  return (
    <div ref={ref} role="menu" aria-label={t('scheduled.moreWays')} className="send-options__menu" onClick={onClose}>
      {children}
    </div>
  );
}
