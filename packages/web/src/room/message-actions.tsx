import type { Message } from '@enclave/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { ForwardDialog } from '../protection/forward-dialog';
import { RestrictDialog } from '../protection/restrict-dialog';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';

/** The few emoji most reactions use; the picker stays small on purpose. */
export const QUICK_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '✅'];

interface MessageActionsProps {
  message: Message;
  senderName: string;
  mine: boolean;
  /** Absent inside a thread, where replying is the panel's own composer. */
  onReplyInThread?: () => void;
  onReact: (emoji: string) => void;
  onEdit: () => void;
  onDelete: () => Promise<void>;
  onRecall: () => void;
  /** Recalls the message with its forwards and copies elsewhere; absent where the organisation does not allow it. */
  onRecallWithCopies?: (() => void) | undefined;
  /** The server's recall policy for my messages; 0 turns recall off. */
  recallWindowSeconds: number;
  onTogglePin: () => void;
  frozen: boolean;
  /** False when the message, its room or its label forbids forwarding. */
  canForward: boolean;
  /** The sender and the room's owners may restrict a message. */
  canRestrict: boolean;
}

/** The toolbar that shows when a message is hovered or has focus inside it. */
export function MessageActions(props: MessageActionsProps) {
  const { message, senderName, mine, onReplyInThread, onReact, onEdit, onDelete, onRecall, onRecallWithCopies, onTogglePin, recallWindowSeconds, frozen, canForward, canRestrict } = props;
  const { t } = useTranslation();
  const [picking, setPicking] = useState(false);
  const [dialog, setDialog] = useState<'delete' | 'forward' | 'restrict' | undefined>();
  const closeDialog = () => setDialog(undefined);
  const toolbar = useRef<HTMLDivElement>(null);
  const withinRecallWindow = useCallback(
    () => mine && recallWindowSeconds > 0 && Date.now() - Date.parse(message.createdAt) < recallWindowSeconds * 1000,
    [mine, recallWindowSeconds, message.createdAt],
  );
  const [recallable, setRecallable] = useState(withinRecallWindow);
  const hidden = message.deleted || message.recalled || frozen;
  // The toolbar opens when its message is hovered or takes focus: that is when to look at the clock again.
  useEffect(() => {
    const article = toolbar.current?.closest('article');
    if (!article) return;
    const check = () => setRecallable(withinRecallWindow());
    article.addEventListener('pointerenter', check);
    article.addEventListener('focusin', check);
    return () => {
      article.removeEventListener('pointerenter', check);
      article.removeEventListener('focusin', check);
    };
  }, [withinRecallWindow, hidden]);
  if (hidden) return null;
  return (
    <div ref={toolbar} className="message-actions" role="toolbar" aria-label={t('conversation.actionsFor', { name: senderName })}>
      <button type="button" className="message-actions__button" aria-expanded={picking} aria-label={t('conversation.react')} title={t('conversation.react')} onClick={() => setPicking(!picking)}>
        ☺
      </button>
      {onReplyInThread && (
        <button type="button" className="message-actions__button" onClick={onReplyInThread}>
          {t('conversation.replyInThread')}
        </button>
      )}
      <button type="button" className="message-actions__button" onClick={onTogglePin}>
        {message.pinned ? t('conversation.unpin') : t('conversation.pin')}
      </button>
      {canForward && (
        <button type="button" className="message-actions__button" onClick={() => setDialog('forward')}>
          {t('forward.action')}
        </button>
      )}
      {canRestrict && (
        <button type="button" className="message-actions__button" onClick={() => setDialog('restrict')}>
          {t('restrictions.action')}
        </button>
      )}
      {mine && (
        <>
          <button type="button" className="message-actions__button" onClick={onEdit}>
            {t('conversation.edit')}
          </button>
          {recallable && (
            <button type="button" className="message-actions__button message-actions__button--danger" onClick={onRecall}>
              {t('recall.action')}
            </button>
          )}
          {recallable && onRecallWithCopies && (
            <button type="button" className="message-actions__button message-actions__button--danger" onClick={onRecallWithCopies}>
              {t('recall.withCopies')}
            </button>
          )}
          <button type="button" className="message-actions__button message-actions__button--danger" onClick={() => setDialog('delete')}>
            {t('conversation.delete')}
          </button>
        </>
      )}
      {picking && (
        <div className="emoji-picker" role="group" aria-label={t('conversation.react')} onKeyDown={(event) => event.key === 'Escape' && setPicking(false)}>
          {QUICK_EMOJI.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="emoji-picker__choice"
              aria-label={t('conversation.reactWith', { emoji })}
              onClick={() => {
                setPicking(false);
                onReact(emoji);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
      {/* Outside the toolbar, which is transparent unless hovered. */}
      {dialog === 'delete' && createPortal(<ConfirmDelete onDelete={onDelete} onClose={closeDialog} />, document.body)}
      {dialog === 'forward' && createPortal(<ForwardDialog message={message} onClose={closeDialog} />, document.body)}
      {dialog === 'restrict' && createPortal(<RestrictDialog message={message} onClose={closeDialog} />, document.body)}
    </div>
  );
}

function ConfirmDelete({ onDelete, onClose }: { onDelete: () => Promise<void>; onClose: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={t('conversation.confirmDelete')} onClose={onClose}>
      <div className="dialog__body">
        <FormError message={error} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="button button--danger"
            disabled={busy}
            autoFocus
            onClick={() => {
              setBusy(true);
              onDelete().then(onClose, (failure: unknown) => {
                setError(describeError(failure));
                setBusy(false);
              });
            }}
          >
            {t('conversation.delete')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
