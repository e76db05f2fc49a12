import { DlpBlockedData, errorMessages, MESSAGE_TEXT_MAX, type ErrorBody, type ScheduledMessage } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { navigate } from '../app/router';
import { currentLocale } from '../i18n/i18n';
import { useOutbox } from '../protection/outbox-context';
import { useRuleList } from '../protection/rule-list';
import { FormError } from '../ui/form-error';
import { useFormatTime } from '../ui/use-format-time';
import { useServerCall } from '../ui/use-server-call';
import { SendTimeDialog } from './send-time-dialog';

interface ScheduledItemProps {
  item: ScheduledMessage;
  roomName: string;
  /** The server's copy after an edit or a reschedule. */
  onChanged: (item: ScheduledMessage) => void;
  /** Cancelled, dismissed or restored: it leaves the list. */
  onGone: (id: string) => void;
}

/**
 * One of my scheduled messages: where and when it goes and what it says, with edit, reschedule and cancel. A
 * failed one says why in words and offers "Restore to composer", which puts the text back in that room's composer
 * (ahead of any draft there), dismisses it and opens the room.
 */
export function ScheduledItem({ item, roomName, onChanged, onGone }: ScheduledItemProps) {
  const { t } = useTranslation();
  const format = useFormatTime();
  const outbox = useOutbox();
  const ruleList = useRuleList();
  const [editing, setEditing] = useState<string | undefined>();
  const [rescheduling, setRescheduling] = useState(false);
  const { busy, error, run } = useServerCall();
  const failed = item.status === 'failed';
  const target = { params: { scheduledId: item.id } };
  // Why it did not go, in the reader's language: the rules by name for a DLP block, else the code's message.
  const rules = blockingRules(item.error);
  const reason = rules ? t('scheduled.blockedBy', { rules: ruleList(rules) }) : item.error && errorMessages[currentLocale()][item.error.code];

  const update = (body: { text: string } | { sendAt: string }) => api.endpoint('updateScheduledMessage')({ ...target, body }).then(({ scheduled }) => onChanged(scheduled));
  const remove = () => api.endpoint('cancelScheduledMessage')(target).then(() => onGone(item.id));
  const restore = () =>
    run(async () => {
      await remove();
      outbox.restoreToDraft({ roomId: item.roomId, text: item.text, ...(item.threadRootId ? { threadRootId: item.threadRootId } : {}) });
      navigate({ page: 'room', roomId: item.roomId });
    });

  return (
    <li className={`scheduled-item${failed ? ' scheduled-item--failed' : ''}`} aria-label={t('scheduled.itemLabel', { room: roomName })}>
      <p className="scheduled-item__head">
        <span className="scheduled-item__room">{roomName}</span>
        {item.urgent && <span className="urgent-flag">{t('urgent.flag')}</span>}
        <span className="muted">{failed ? t('scheduled.wasDue', { time: format.full(item.sendAt) }) : t('scheduled.goesAt', { time: format.full(item.sendAt) })}</span>
      </p>
      {failed && reason && <p className="scheduled-item__failure">{t('scheduled.notSent', { reason })}</p>}
      {editing === undefined ? (
        <p className="scheduled-item__text">{item.text}</p>
      ) : (
        <form
          className="scheduled-item__editor"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => update({ text: editing.trim() })).then((saved) => saved && setEditing(undefined));
          }}
        >
          <label className="field">
            <span>{t('scheduled.editLabel')}</span>
            <textarea value={editing} onChange={(event) => setEditing(event.target.value)} maxLength={MESSAGE_TEXT_MAX} rows={3} required />
          </label>
          <div className="scheduled-item__actions">
            <button type="button" className="button button--small" onClick={() => setEditing(undefined)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="button button--small button--primary" disabled={busy || editing.trim() === ''}>
              {t('conversation.save')}
            </button>
          </div>
        </form>
      )}
      <FormError message={error} />
      {editing === undefined && (
        <div className="scheduled-item__actions">
          {failed && (
            <button type="button" className="button button--small button--primary" disabled={busy} onClick={() => void restore()}>
              {t('scheduled.restore')}
            </button>
          )}
          {!failed && (
            <button type="button" className="button button--small" disabled={busy} onClick={() => setEditing(item.text)}>
              {t('scheduled.edit')}
            </button>
          )}
          <button type="button" className="button button--small" disabled={busy} onClick={() => setRescheduling(true)}>
            {t(failed ? 'scheduled.tryAgainAt' : 'scheduled.reschedule')}
          </button>
          <button type="button" className="button button--small" disabled={busy} onClick={() => void run(remove)}>
            {t(failed ? 'scheduled.dismiss' : 'scheduled.cancel')}
          </button>
        </div>
      )}
      {rescheduling && (
        <SendTimeDialog
          title={t('scheduled.reschedule')}
          submitLabel={t('scheduled.rescheduleAction')}
          initial={failed ? undefined : Date.parse(item.sendAt)}
          onClose={() => setRescheduling(false)}
          onSubmit={(sendAt) => update({ sendAt })}
        />
      )}
    </li>
  );
}

/** The names of the DLP rules that refused it, when that was the reason. */
function blockingRules(error: ErrorBody | null): string[] | undefined {
  if (error?.code !== 'DLP_BLOCKED') return undefined;
  const data = DlpBlockedData.safeParse(error.data);
  return data.success ? data.data.rules.map((rule) => rule.name) : undefined;
}
