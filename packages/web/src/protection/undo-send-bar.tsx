import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOutbox } from './outbox-context';

/** Longer texts are cut in the bar; the whole text comes back on Undo. */
const PREVIEW_CHARS = 40;

/** "Sending … in 3 s · Undo" for each message this composer holds back for my undo delay. */
export function UndoSendBar({ roomId, threadRootId }: { roomId: string; threadRootId?: string }) {
  const { t } = useTranslation();
  const outbox = useOutbox();
  const held = outbox.held.filter((send) => send.roomId === roomId && send.threadRootId === threadRootId);
  const holding = held.length > 0;
  // Re-render a few times a second while something is held, for the countdown.
  const [, setTicks] = useState(0);
  useEffect(() => {
    if (!holding) return;
    const timer = setInterval(() => setTicks((ticks) => ticks + 1), 250);
    return () => clearInterval(timer);
  }, [holding]);
  const now = Date.now();

  if (!holding) return null;
  return (
    <ul className="undo-send" role="status" aria-label={t('undoSend.barLabel')}>
      {held.map((send) => {
        // A message of files only is previewed by their names.
        const shown = send.text || (send.files ?? []).map((file) => file.name).join(t('guard.listSeparator'));
        const preview = shown.length > PREVIEW_CHARS ? `${shown.slice(0, PREVIEW_CHARS)}…` : shown;
        return (
          <li key={send.id} className="undo-send__item">
            <span className="undo-send__text">{t('undoSend.sending', { text: preview, seconds: Math.max(1, Math.ceil((send.sendAt - now) / 1000)) })}</span>
            <button type="button" className="button button--small" onClick={() => outbox.undo(send.id)}>
              {t('undoSend.undo')}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
