import { CeilingBelowContentData, ForwardingPolicy, type ContentAboveCeiling, type RoomSummary } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import { usePeople } from '../people/people-context';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-actions';
import { FormError } from '../ui/form-error';
import { LabelSelect } from './label-select';
import { useLabels } from './labels-context';

/**
 * Changes a room's ceiling and default label, and what members may do with its messages (forward, copy, download).
 * Lowering the ceiling under existing content first shows how many messages and files are above it (the server's
 * refusal carries the counts) and needs a choice: relabel them down to the new ceiling, or hide them.
 */
export function ClassificationDialog({ room, onClose }: { room: RoomSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const people = usePeople();
  const { roomChanged } = useChat();
  const [ceiling, setCeiling] = useState(room.ceiling);
  const [defaultLabel, setDefaultLabel] = useState(room.defaultLabel);
  const [forwarding, setForwarding] = useState(room.forwarding);
  const [copyAllowed, setCopyAllowed] = useState(room.copyAllowed);
  const [downloadAllowed, setDownloadAllowed] = useState(room.downloadAllowed);
  const [error, setError] = useState<string | undefined>();
  /** Set once the server said the room holds content above the new ceiling: what is there, and the owner's choice. */
  const [downgrade, setDowngrade] = useState<{ above: CeilingBelowContentData; choice?: ContentAboveCeiling } | undefined>();
  const [busy, setBusy] = useState(false);

  function chooseCeiling(next: string) {
    setCeiling(next);
    if (labels.isAbove(defaultLabel, next)) setDefaultLabel(next);
    setDowngrade(undefined);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const body = {
      ...(ceiling !== room.ceiling ? { ceiling } : {}),
      ...(defaultLabel !== room.defaultLabel ? { defaultLabel } : {}),
      ...(forwarding !== room.forwarding ? { forwarding } : {}),
      ...(copyAllowed !== room.copyAllowed ? { copyAllowed } : {}),
      ...(downloadAllowed !== room.downloadAllowed ? { downloadAllowed } : {}),
    };
    if (Object.keys(body).length === 0) return onClose();
    setBusy(true);
    setError(undefined);
    try {
      const decided = downgrade?.choice ? { contentAbove: downgrade.choice } : {};
      roomChanged((await api.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ...body, ...decided } })).room);
      onClose();
    } catch (failure) {
      const above = failure instanceof EnclaveApiError && failure.code === 'CEILING_BELOW_CONTENT' ? CeilingBelowContentData.safeParse(failure.data) : undefined;
      if (above?.success) setDowngrade({ above: above.data });
      else setError(withUncleared(describeError(failure), failure));
      setBusy(false);
    }
  }

  /** "3 messages labelled Secret" and the like, one line per label and kind. */
  function countsAbove(above: CeilingBelowContentData): string[] {
    return [
      ...above.messages.map((entry) => t('labels.messagesAbove', { count: entry.count, name: labels.nameOf(entry.label) })),
      ...above.files.map((entry) => t('labels.filesAbove', { count: entry.count, name: labels.nameOf(entry.label) })),
    ];
  }

  /** The server names the members whose clearance is too low; the reader needs their names, not ids. */
  function withUncleared(message: string, failure: unknown): string {
    const ids = failure instanceof EnclaveApiError && Array.isArray(failure.data?.userIds) ? failure.data.userIds : [];
    const names = ids.map((id) => people.byId.get(String(id))?.displayName ?? t('common.someone'));
    return names.length > 0 ? `${message} ${t('labels.notCleared', { names: names.join(', ') })}` : message;
  }

  return (
    <Dialog title={t('labels.classificationTitle')} onClose={onClose}>
      <form className="dialog__body" onSubmit={save}>
        <p className="muted">{t('labels.classificationExplained')}</p>
        <LabelSelect label={t('labels.ceiling')} options={labels.list} value={ceiling} onChange={chooseCeiling} />
        <LabelSelect label={t('labels.defaultLabel')} options={labels.upTo(ceiling)} value={defaultLabel} onChange={setDefaultLabel} />
        <fieldset className="room-policy">
          <legend>{t('dlp.roomPolicy')}</legend>
          <p className="muted">{t('dlp.roomPolicyExplained')}</p>
          <label className="field">
            <span>{t('dlp.forwardingField')}</span>
            <select value={forwarding} onChange={(e) => setForwarding(ForwardingPolicy.parse(e.target.value))}>
              {ForwardingPolicy.options.map((policy) => (
                <option key={policy} value={policy}>
                  {t(`dlp.forwarding.${policy}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={copyAllowed} onChange={(e) => setCopyAllowed(e.target.checked)} />
            <span>{t('dlp.copyAllowed')}</span>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={downloadAllowed} onChange={(e) => setDownloadAllowed(e.target.checked)} />
            <span>{t('dlp.downloadAllowed')}</span>
          </label>
        </fieldset>
        {downgrade && (
          <div className="label-downgrade" role="alert">
            <p>{t('labels.contentAbove', { name: labels.nameOf(downgrade.above.ceiling) })}</p>
            <ul>
              {countsAbove(downgrade.above).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <div role="radiogroup" aria-label={t('labels.contentAbove', { name: labels.nameOf(downgrade.above.ceiling) })}>
              {downgrade.above.choices.map((choice) => (
                <label key={choice} className="checkbox">
                  <input type="radio" name="content-above" checked={downgrade.choice === choice} onChange={() => setDowngrade({ ...downgrade, choice })} />
                  <span>{t(`labels.contentAboveChoice.${choice}`, { name: labels.nameOf(downgrade.above.ceiling) })}</span>
                </label>
              ))}
            </div>
          </div>
        )}
        <FormError message={error} />
        <DialogActions
          submitLabel={downgrade ? t('labels.lowerCeiling') : t('labels.save')}
          disabled={busy || (downgrade !== undefined && downgrade.choice === undefined)}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
