import type { ConfirmationReason, ConfirmationRequiredData, FileInfo } from '@enclave/protocol';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';
import { LabelChip } from '../labels/label-chip';
import { RoomIcon } from '../rooms/room-icon';
import { useRoomName } from '../rooms/use-room-name';
import { Dialog } from '../ui/dialog';

/**
 * The send guard: who would receive this (the room, how many people, guests, departments, the label, DLP rules
 * that asked for a warning, the files going with it), confirmed only on purpose: by clicking the room's name or
 * typing it. The typing field has the focus, so a reflexive Enter confirms nothing.
 */
export function GuardDialog({ data, files, onAnswer }: { data: ConfirmationRequiredData; files: FileInfo[]; onAnswer: (confirmed: boolean) => void }) {
  const { t } = useTranslation();
  const { state } = useChat();
  const roomName = useRoomName();
  const [typed, setTyped] = useState('');
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  // After the dialog has opened (its own effect runs first), which would otherwise focus its close button.
  useEffect(() => input.current?.focus(), []);
  const room = state.rooms?.find((r) => r.id === data.room.id);
  const name = room ? roomName(room) : (data.room.name ?? t('common.someone'));
  const flagged = (reason: ConfirmationReason) => (data.reasons.includes(reason) ? 'send-guard__fact send-guard__fact--reason' : 'send-guard__fact');

  function submitTyped(event: FormEvent) {
    event.preventDefault();
    if (sameName(typed, name)) onAnswer(true);
  }

  return (
    <Dialog title={t('guard.title')} onClose={() => onAnswer(false)}>
      <form className="dialog__body send-guard" onSubmit={submitTyped}>
        <p>{t('guard.intro')}</p>
        <button type="button" className="send-guard__room" aria-label={t('guard.sendTo', { name })} onClick={() => onAnswer(true)}>
          {room && <RoomIcon room={room} />}
          <strong>{name}</strong>
        </button>
        <ul className="send-guard__facts">
          <li className={flagged('member-count')}>{t('guard.members', { count: data.room.memberCount })}</li>
          {data.room.guestCount > 0 && <li className={flagged('guests')}>{t('guard.guests', { count: data.room.guestCount })}</li>}
          {data.departments.length > 0 && (
            <li className={flagged('other-departments')}>{t('guard.departments', { names: data.departments.join(t('guard.listSeparator')) })}</li>
          )}
          <li className={flagged('label')}>
            {t('guard.label')} <LabelChip labelId={data.label} />
            {data.raisedBy === 'content' && <span className="send-guard__raised"> {t('guard.raisedByContent')}</span>}
          </li>
          {data.rules.length > 0 && (
            <li className={flagged('dlp')}>{t('guard.rules', { names: data.rules.map((rule) => rule.name).join(t('guard.listSeparator')) })}</li>
          )}
          {data.unreadFiles && data.unreadFiles.length > 0 && (
            <li className={flagged('dlp')}>{t('guard.unreadFiles', { names: data.unreadFiles.map((file) => file.name).join(t('guard.listSeparator')) })}</li>
          )}
          {files.length > 0 && (
            <li className={flagged('files')}>{t('files.inGuard', { count: files.length, names: files.map((file) => file.name).join(t('guard.listSeparator')) })}</li>
          )}
        </ul>
        <label className="field" htmlFor={inputId}>
          <span>{data.room.kind === 'dm' ? t('guard.typePerson') : t('guard.typeRoom')}</span>
          <input id={inputId} ref={input} value={typed} autoComplete="off" onChange={(event) => setTyped(event.target.value)} />
        </label>
        <p className="muted send-guard__hint">{t('guard.hint')}</p>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={() => onAnswer(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Typed names match regardless of case, surrounding spaces and a channel's leading #. */
function sameName(typed: string, name: string): boolean {
  const normal = (value: string) => value.trim().replace(/^#/, '').toLocaleLowerCase();
  return normal(typed) !== '' && normal(typed) === normal(name);
}
