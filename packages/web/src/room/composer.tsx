import { MESSAGE_TEXT_MAX, type FileInfo, type User } from '@enclave/protocol';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { browserDraftStore } from '../chat/browser-draft-store';
import { AttachButton } from '../files/attach-button';
import { AttachmentChips } from '../files/attachment-chips';
import type { Attachments } from '../files/use-attachments';
import { GuestBadge } from '../protection/guest-badge';
import { useOutbox } from '../protection/outbox-context';
import { useSendOptions, type SendOptions } from '../scheduled/send-options';
import { useMe } from '../session/session-context';
import { SendIcon } from '../ui/icons';
import { insertMention, mentionQueryAt, suggestMentions } from './mention-query';

/** The composer grows with its text up to this many lines, then scrolls. */
const MAX_ROWS = 8;
/** A typing notice lasts a few seconds on the other side; repeating it more often than this is wasted traffic. */
export const TYPING_EVERY_MS = 3000;

interface ComposerProps {
  roomId: string;
  threadRootId?: string;
  label: string;
  placeholder: string;
  /** The text (possibly empty when files go with it) and the uploaded files. */
  onSend: (text: string, files: FileInfo[]) => void;
  onTyping: () => void;
  /** People the @ autocompletion offers. */
  members: User[];
  /** Offer @all too (room owners of rooms with more than two people). */
  canMentionAll: boolean;
  /** Why the composer is closed (a frozen room), if it is. */
  disabledReason?: string;
  /** Up arrow in an empty composer: edit my last message. */
  onEditLast?: () => void;
  /** Below the input, e.g. "also send to the room". */
  extra?: ReactNode;
  /** Beside the send button, e.g. the label picker. */
  beforeSend?: ReactNode;
  /** Above the composer, given its send options: the off-work hint offers scheduling and urgent sending through them. */
  above?: (sendOptions: SendOptions) => ReactNode;
  autoFocus?: boolean;
  /** The files attached here (see useAttachments); without it the composer sends text only. */
  attachments?: Attachments;
}

export function Composer(props: ComposerProps) {
  const { roomId, threadRootId, label, placeholder, onSend, onTyping, members, canMentionAll, disabledReason, onEditLast, extra, beforeSend, above, autoFocus = true, attachments } = props;
  const { t } = useTranslation();
  const me = useMe();
  const drafts = useMemo(() => browserDraftStore(me.id), [me.id]);
  const [text, setTextState] = useState(() => drafts.read(roomId, threadRootId));
  const [caret, setCaret] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [dismissed, setDismissed] = useState<number | undefined>();
  const lastTyping = useRef(0);
  /** Where the caret goes once React has put a picked mention into the textarea. */
  const caretAfterRender = useRef<number | undefined>(undefined);
  useLayoutEffect(() => {
    if (caretAfterRender.current === undefined) return;
    input.current?.setSelectionRange(caretAfterRender.current, caretAfterRender.current);
    caretAfterRender.current = undefined;
  });
  const input = useRef<HTMLTextAreaElement>(null);
  // Text I sent can come back (Undo, a cancelled confirmation, a DLP block): the outbox puts it in my draft.
  const { onDraftReturned } = useOutbox();
  useEffect(
    () =>
      onDraftReturned((draftRoomId, draftThreadRootId) => {
        if (draftRoomId !== roomId || draftThreadRootId !== threadRootId) return;
        setTextState(drafts.read(roomId, threadRootId));
        input.current?.focus();
      }),
    [onDraftReturned, drafts, roomId, threadRootId],
  );
  const inputId = useId();
  const listId = useId();
  // A message needs text or an uploaded file, and waits for uploads under way so that none is left behind.
  const hasFiles = (attachments?.ready.length ?? 0) > 0;
  const sendable = (text.trim().length > 0 || hasFiles) && !attachments?.uploading && !disabledReason;

  const query = mentionQueryAt(text, caret);
  const everyone = canMentionAll && query && 'all'.startsWith(query.query) ? [{ id: '@all', username: 'all', displayName: t('mentions.everyone') }] : [];
  const suggestions = query && query.start !== dismissed ? [...suggestMentions(members, query.query, me.id), ...everyone] : [];
  const active = suggestions[Math.min(highlight, suggestions.length - 1)];

  function setText(value: string) {
    setTextState(value);
    drafts.write(roomId, value, threadRootId);
  }

  function send() {
    if (!sendable) return;
    onSend(text.trim(), attachments?.ready ?? []);
    attachments?.sent();
    setText('');
    lastTyping.current = 0;
  }

  // Later or urgent: `sendOptions.openScheduleFor(at)` and `sendOptions.openUrgent()` open those choices directly.
  const sendOptions = useSendOptions({ roomId, threadRootId, text, onSent: () => setText(''), disabled: disabledReason !== undefined });

  function pick(username: string) {
    if (!query) return;
    const next = insertMention(text, query.start, caret, username);
    setText(next.text);
    setCaret(next.caret);
    caretAfterRender.current = next.caret;
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.length > 0 && active) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlight((highlight + step + suggestions.length) % suggestions.length);
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && !isComposing(event)) {
        event.preventDefault();
        pick(active.username);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setDismissed(query?.start);
        return;
      }
    }
    if (event.key === 'ArrowUp' && text === '' && onEditLast) {
      event.preventDefault();
      onEditLast();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || isComposing(event)) return;
    event.preventDefault();
    send();
  }

  /** A pasted screenshot or image is attached; text pasted along with it still goes into the text. */
  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const images = [...event.clipboardData.files].filter((file) => file.type.startsWith('image/'));
    if (!attachments || images.length === 0) return;
    if (!event.clipboardData.types.includes('text/plain')) event.preventDefault();
    attachments.add(images);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    send();
  }

  return (
    <>
    {above?.(sendOptions)}
    <form className={`composer${disabledReason ? ' composer--disabled' : ''}`} onSubmit={onSubmit}>
      {attachments && <AttachmentChips attachments={attachments} />}
      <div className="composer__row">
        <label htmlFor={inputId} className="visually-hidden">
          {label}
        </label>
        <textarea
          id={inputId}
          ref={input}
          className="composer__input"
          value={text}
          rows={Math.min(MAX_ROWS, text.split('\n').length)}
          maxLength={MESSAGE_TEXT_MAX}
          placeholder={disabledReason ?? placeholder}
          disabled={disabledReason !== undefined}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={suggestions.length > 0}
          aria-controls={listId}
          aria-activedescendant={active ? `${listId}-${active.id}` : undefined}
          onChange={(event) => {
            setText(event.target.value);
            setCaret(event.target.selectionStart);
            setHighlight(0);
            if (event.target.value.trim() !== '' && Date.now() - lastTyping.current > TYPING_EVERY_MS) {
              lastTyping.current = Date.now();
              onTyping();
            }
          }}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          autoFocus={autoFocus}
        />
        {attachments && <AttachButton onFiles={attachments.add} disabled={disabledReason !== undefined || !attachments.canAdd} />}
        {beforeSend}
        {sendOptions.menu}
        <button type="submit" className="composer__send" aria-label={t('composer.send')} title={t('composer.send')} disabled={!sendable}>
          <SendIcon />
        </button>
      </div>
      <ul id={listId} role="listbox" aria-label={t('mentions.suggestions')} className="mention-suggestions" hidden={suggestions.length === 0}>
        {suggestions.map((user) => (
          <li
            key={user.id}
            id={`${listId}-${user.id}`}
            role="option"
            aria-selected={user === active}
            className="mention-suggestions__option"
            onMouseDown={(event) => {
              event.preventDefault(); // Keep the focus in the composer.
              pick(user.username);
            }}
          >
            <span className="mention-suggestions__name">{user.displayName}</span> <GuestBadge user={members.find((member) => member.id === user.id)} />{' '}
            <span className="muted">@{user.username}</span>
          </li>
        ))}
      </ul>
      {extra}
    </form>
    </>
  );
}

/**
 * Enter also confirms a word in an input method (Chinese pinyin, Japanese kana); that Enter belongs to the IME and
 * must not send. Browsers flag it with `isComposing`, and some (Safari) only with the legacy key code 229.
 */
function isComposing(event: KeyboardEvent): boolean {
  return event.nativeEvent.isComposing || event.keyCode === 229;
}
