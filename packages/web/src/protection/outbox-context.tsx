import type { ConfirmationRequiredData, FileInfo, Message } from '@enclave/protocol';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import type { PendingMessage } from '../chat/chat-state';
import { newClientId } from '../chat/client-id';
import { browserDraftStore, pageStorage } from '../chat/browser-draft-store';
import { createAttachmentStore } from '../files/attachment-store';
import { useMe, useSession } from '../session/session-context';
import { GuardDialog } from './guard-dialog';
import { refusalOf } from './refusal';
import { useRuleList } from './rule-list';
import { createUnsentStore } from './unsent-store';

/** A message as the composer hands it over. */
export interface Outgoing {
  roomId: string;
  text: string;
  threadRootId?: string;
  alsoSendToRoom?: boolean;
  label?: string;
  /** Uploaded files the message carries. */
  files?: FileInfo[];
}

/** A message waiting out my undo delay in this page; nobody else has it yet. */
export interface HeldSend extends Outgoing {
  id: string;
  /** When it goes to the server (ms since the epoch). */
  sendAt: number;
}

/** How a guarded edit or forward ended: done, held for a compliance officer, or called off in the guard dialog. */
export type GuardedOutcome = 'done' | 'held' | 'cancelled';

export interface Outbox {
  held: HeldSend[];
  /** Sends after my undo delay (at once when it is 0), through the send guard and the DLP outcomes. */
  submit(message: Outgoing): void;
  /** Sends a message again that failed for another reason (the network, a frozen room). */
  retry(message: PendingMessage): void;
  /** Takes a held message back into its composer; it is never sent. */
  undo(id: string): void;
  /** Edits my message; throws the reason to show in the editor when it cannot be saved. */
  edit(message: Message, text: string): Promise<GuardedOutcome>;
  /** Forwards a message into one of my rooms; throws the server's refusal for the dialog to show. */
  forward(message: Message, roomId: string): Promise<GuardedOutcome>;
  /**
   * Sends at once, skipping the undo delay, urgent with `reason`; resolves false when the sender called it off in
   * the guard's question, and throws any refusal (the urgent policy, DLP) for the urgent dialog to show.
   */
  sendUrgent(message: Outgoing, reason: string): Promise<boolean>;
  /** Puts text back into a room's (or thread's) draft, ahead of what is there: a failed scheduled message restored. */
  restoreToDraft(draft: { roomId: string; threadRootId?: string; text: string }): void;
  /** Text or files went back into the draft of a room (or thread): a composer showing it reloads the draft. */
  onDraftReturned(listener: (roomId: string, threadRootId: string | undefined) => void): () => void;
}

const CANCELLED = Symbol('cancelled');

/**
 * Everything between "I pressed send" and the server keeping the message: the undo delay, the send guard's
 * confirmation, and what DLP answered. Text and files that are not sent in the end always go back to their
 * composer's draft, so nothing the person wrote or attached is lost.
 */
export function OutboxProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { preferences } = useSession();
  const { state, send, editMessage, forwardMessage, addNotice, dismissNotice } = useChat();
  const ruleList = useRuleList();
  const drafts = useMemo(() => browserDraftStore(me.id), [me.id]);
  const attachments = useMemo(() => createAttachmentStore(pageStorage(), me.id), [me.id]);
  const unsent = useMemo(() => createUnsentStore(pageStorage(), me.id), [me.id]);
  const [held, setHeld] = useState<HeldSend[]>([]);
  const timers = useRef(new Map<string, { send: HeldSend; timer: ReturnType<typeof setTimeout> }>());
  const draftListeners = useRef(new Set<(roomId: string, threadRootId: string | undefined) => void>());
  const [questions, setQuestions] = useState<{ data: ConfirmationRequiredData; files: FileInfo[]; answer: (confirmed: boolean) => void }[]>([]);
  const latest = useRef({ undoSendSeconds: preferences.undoSendSeconds, notices: state.sendNotices });
  useEffect(() => {
    latest.current = { undoSendSeconds: preferences.undoSendSeconds, notices: state.sendNotices };
  });

  const returnToDraft = useCallback(
    ({ roomId, threadRootId, text, files = [] }: { roomId: string; threadRootId?: string; text: string; files?: FileInfo[] }) => {
      const current = drafts.read(roomId, threadRootId);
      if (text.trim() !== '') drafts.write(roomId, current.trim() === '' ? text : `${text}\n${current}`, threadRootId);
      if (files.length > 0) {
        const attached = attachments.read(roomId, threadRootId).filter((file) => !files.some((returned) => returned.id === file.id));
        attachments.write(roomId, [...files, ...attached], threadRootId);
      }
      for (const listener of draftListeners.current) listener(roomId, threadRootId);
    },
    [drafts, attachments],
  );

  // Held text and files a crashed page left behind go back to the drafts before any composer reads them.
  useState(() => unsent.takeAbandoned(Date.now()).forEach(returnToDraft));

  const confirm = useCallback(
    (data: ConfirmationRequiredData, files: FileInfo[]) => new Promise<boolean>((answer) => setQuestions((asked) => [...asked, { data, files, answer }])),
    [],
  );

  /**
   * Runs `attempt`, and again with the guard's token each time the sender confirms who receives it; `files` are
   * what the message carries, for the sender to see in the question.
   */
  const guarded = useCallback(
    async <T,>(attempt: (confirmationToken?: string) => Promise<T>, files: FileInfo[] = []): Promise<T | typeof CANCELLED> => {
      let token: string | undefined;
      for (;;) {
        try {
          return await attempt(token);
        } catch (error) {
          const refusal = refusalOf(error);
          if (refusal?.kind !== 'confirm') throw error;
          if (!(await confirm(refusal.data, files))) return CANCELLED;
          token = refusal.data.confirmationToken;
        }
      }
    },
    [confirm],
  );

  const deliver = useCallback(
    async (message: PendingMessage) => {
      const place = { roomId: message.roomId, ...(message.threadRootId ? { threadRootId: message.threadRootId } : {}) };
      try {
        const outcome = await guarded((confirmationToken) => send(confirmationToken ? { ...message, confirmationToken } : message), message.files);
        if (outcome === CANCELLED) returnToDraft(message);
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal?.kind === 'blocked') {
          returnToDraft(message);
          addNotice({ kind: 'blocked', id: message.clientId, ...place, rules: refusal.rules, unreadFiles: refusal.unreadFiles });
        } else if (refusal?.kind === 'held') {
          addNotice({ kind: 'held', id: refusal.reviewId, ...place, rules: refusal.rules });
        }
        // Any other failure left the pending copy in the timeline marked "not sent", with a retry.
      }
    },
    [guarded, send, returnToDraft, addNotice],
  );

  const release = useCallback(
    (id: string) => {
      const entry = timers.current.get(id);
      if (!entry) return undefined;
      clearTimeout(entry.timer);
      timers.current.delete(id);
      unsent.forget(id);
      setHeld((current) => current.filter((send) => send.id !== id));
      return entry.send;
    },
    [unsent],
  );

  const submit = useCallback(
    (outgoing: Outgoing) => {
      // A new attempt from the same composer answers the last refusal there.
      for (const notice of latest.current.notices) {
        if (notice.kind === 'blocked' && notice.roomId === outgoing.roomId && notice.threadRootId === outgoing.threadRootId) dismissNotice(notice.id);
      }
      const message: PendingMessage = { clientId: newClientId(), createdAt: new Date().toISOString(), ...outgoing };
      const delayMs = latest.current.undoSendSeconds * 1000;
      if (delayMs === 0) return void deliver(message);
      const heldSend: HeldSend = { ...outgoing, id: message.clientId, sendAt: Date.now() + delayMs };
      const optional = { ...(outgoing.threadRootId ? { threadRootId: outgoing.threadRootId } : {}), ...(outgoing.files?.length ? { files: outgoing.files } : {}) };
      unsent.remember({ id: heldSend.id, roomId: heldSend.roomId, text: heldSend.text, sendAt: heldSend.sendAt, ...optional });
      const timer = setTimeout(() => {
        if (release(heldSend.id)) void deliver({ ...message, createdAt: new Date().toISOString() });
      }, delayMs);
      timers.current.set(heldSend.id, { send: heldSend, timer });
      setHeld((current) => [...current, heldSend]);
    },
    [deliver, dismissNotice, release, unsent],
  );

  const undo = useCallback(
    (id: string) => {
      const send = release(id);
      if (send) returnToDraft(send);
    },
    [release, returnToDraft],
  );

  // Leaving the page (closing, reloading, signing out) never sends what is still held: it goes back to the drafts.
  const undoLatest = useRef(undo);
  useEffect(() => {
    undoLatest.current = undo;
  });
  useEffect(() => {
    const returnAll = () => [...timers.current.keys()].forEach((id) => undoLatest.current(id));
    window.addEventListener('pagehide', returnAll);
    return () => {
      window.removeEventListener('pagehide', returnAll);
      returnAll();
    };
  }, []);

  const edit = useCallback(
    async (message: Message, text: string): Promise<GuardedOutcome> => {
      try {
        return (await guarded((confirmationToken) => editMessage(message.id, text, confirmationToken))) === CANCELLED ? 'cancelled' : 'done';
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal?.kind === 'held') {
          addNotice({ kind: 'held', id: refusal.reviewId, roomId: message.roomId, rules: refusal.rules });
          return 'held';
        }
        throw new Error(refusal?.kind === 'blocked' ? t('dlpNotice.editBlocked', { rules: ruleList(refusal.rules) }) : describeError(error));
      }
    },
    [guarded, editMessage, addNotice, ruleList, t],
  );

  const forward = useCallback(
    async (message: Message, roomId: string): Promise<GuardedOutcome> => {
      try {
        return (await guarded((confirmationToken) => forwardMessage(message.id, roomId, confirmationToken))) === CANCELLED ? 'cancelled' : 'done';
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal?.kind !== 'held') throw error;
        addNotice({ kind: 'held', id: refusal.reviewId, roomId, rules: refusal.rules });
        return 'held';
      }
    },
    [guarded, forwardMessage, addNotice],
  );

  const sendUrgent = useCallback(
    async (outgoing: Outgoing, reason: string): Promise<boolean> => {
      const message: PendingMessage = { clientId: newClientId(), createdAt: new Date().toISOString(), ...outgoing, urgentReason: reason };
      return (await guarded((confirmationToken) => send(confirmationToken ? { ...message, confirmationToken } : message), message.files)) !== CANCELLED;
    },
    [guarded, send],
  );

  const onDraftReturned = useCallback((listener: (roomId: string, threadRootId: string | undefined) => void) => {
    draftListeners.current.add(listener);
    return () => void draftListeners.current.delete(listener);
  }, []);

  const outbox = useMemo<Outbox>(
    () => ({
      held,
      submit,
      retry: (message) => void deliver(message),
      undo,
      edit,
      forward,
      sendUrgent,
      restoreToDraft: returnToDraft,
      onDraftReturned,
    }),
    [held, submit, deliver, undo, edit, forward, sendUrgent, returnToDraft, onDraftReturned],
  );

  const question = questions[0];
  return (
    <OutboxContext.Provider value={outbox}>
      {children}
      {question && (
        <GuardDialog
          key={question.data.confirmationToken}
          data={question.data}
          files={question.files}
          onAnswer={(confirmed) => {
            question.answer(confirmed);
            setQuestions((asked) => asked.slice(1));
          }}
        />
      )}
    </OutboxContext.Provider>
  );
}

export function useOutbox(): Outbox {
  const outbox = useContext(OutboxContext);
  if (!outbox) throw new Error('useOutbox needs an OutboxProvider');
  return outbox;
}

const OutboxContext = createContext<Outbox | undefined>(undefined);
