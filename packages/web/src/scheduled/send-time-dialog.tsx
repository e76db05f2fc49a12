import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { deviceTimeZone } from '../profile/time-zone';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-actions';
import { FormError } from '../ui/form-error';
import { useFormatTime } from '../ui/use-format-time';
import { useServerCall } from '../ui/use-server-call';
import { instantOfWallTime, sendTimePresets, wallTimeOf } from './send-time';

interface SendTimeDialogProps {
  title: string;
  submitLabel: string;
  /** The time the field starts at (ms); none: an hour from now. */
  initial?: number | undefined;
  /** Resolves once the server took the time; a rejection shows its reason and keeps the dialog open. */
  onSubmit: (sendAt: string) => Promise<unknown>;
  onClose: () => void;
}

/**
 * Picks when a message goes: three presets and a date-and-time field, all in the sender's own time zone (the
 * profile's, else the device's), which the dialog names so nobody wonders whose 09:00 it is.
 */
export function SendTimeDialog({ title, submitLabel, initial, onSubmit, onClose }: SendTimeDialogProps) {
  const { t } = useTranslation();
  const format = useFormatTime();
  const zone = format.timeZone ?? deviceTimeZone();
  const [presets] = useState(() => sendTimePresets(Date.now(), zone));
  const [wallTime, setWallTime] = useState(() => wallTimeOf(initial ?? presets.inAnHour, zone));
  const { busy, error, run } = useServerCall();
  const zoneId = useId();
  const sendAt = instantOfWallTime(wallTime, zone);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sendAt === undefined) return;
    if (await run(() => onSubmit(new Date(sendAt).toISOString()))) onClose();
  }

  const choices = [
    { key: 'inAnHour', label: t('scheduled.inAnHour'), at: presets.inAnHour },
    { key: 'tomorrow', label: t('scheduled.tomorrowMorning'), at: presets.tomorrowMorning },
    { key: 'monday', label: t('scheduled.nextMondayMorning'), at: presets.nextMondayMorning },
  ];
  return (
    <Dialog title={title} onClose={onClose} className="send-time-dialog">
      <form className="dialog__body" onSubmit={submit}>
        <div className="send-time-dialog__presets" role="group" aria-label={t('scheduled.presets')}>
          {choices.map((choice) => (
            <button
              key={choice.key}
              type="button"
              className="button button--small"
              aria-pressed={sendAt === choice.at}
              onClick={() => setWallTime(wallTimeOf(choice.at, zone))}
            >
              {choice.label}
              <span className="muted send-time-dialog__preset-time">{format.full(new Date(choice.at).toISOString())}</span>
            </button>
          ))}
        </div>
        <label className="field">
          <span>{t('scheduled.sendAt')}</span>
          <input type="datetime-local" value={wallTime} onChange={(event) => setWallTime(event.target.value)} aria-describedby={zoneId} required />
        </label>
        <p id={zoneId} className="muted">
          {t('scheduled.inYourZone', { zone })}
        </p>
        <FormError message={error} />
        <DialogActions submitLabel={submitLabel} disabled={busy || sendAt === undefined} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
