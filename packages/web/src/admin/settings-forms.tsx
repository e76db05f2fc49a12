import { PASSWORD_MIN_LENGTH_FLOOR, type AdminSettings } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LabelSelect } from '../labels/label-select';
import { useLabels } from '../labels/labels-context';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

/** Saves a change to the organisation's settings; each form below calls it with only what it changes. */
export type SaveSettings = (change: Partial<AdminSettings>) => Promise<void>;

const RECALL_MAX_SECONDS = 86_400;
const PASSWORD_MIN_LENGTH_CEILING = 128;

/**
 * The shortest password the organisation accepts. Raising it sends everyone whose password is now too short to
 * the "choose a new password" screen at their next sign-in.
 */
export function PasswordLengthForm({ minLength, save }: { minLength: number; save: SaveSettings }) {
  const { t } = useTranslation();
  return (
    <WholeNumberSettingForm
      title={t('console.passwordsTitle')}
      label={t('console.passwordMinLength')}
      help={t('console.passwordMinLengthHelp', { floor: PASSWORD_MIN_LENGTH_FLOOR })}
      current={minLength}
      min={PASSWORD_MIN_LENGTH_FLOOR}
      max={PASSWORD_MIN_LENGTH_CEILING}
      save={(passwordMinLength) => save({ passwordMinLength })}
    />
  );
}

/** How long after sending people may recall a message; 0 turns recall off. */
export function RecallWindowForm({ seconds, save }: { seconds: number; save: SaveSettings }) {
  const { t } = useTranslation();
  return (
    <WholeNumberSettingForm
      title={t('console.recallTitle')}
      label={t('console.recallWindow')}
      help={t('console.recallWindowHelp')}
      current={seconds}
      min={0}
      max={RECALL_MAX_SECONDS}
      save={(recallWindowSeconds) => save({ recallWindowSeconds })}
    />
  );
}

/** One whole-number setting in its own card, saved only when it is valid and differs from the current value. */
function WholeNumberSettingForm(props: { title: string; label: string; help: string; current: number; min: number; max: number; save: (value: number) => Promise<void> }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(String(props.current));
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const helpId = useId();
  const parsed = Number(value);
  const valid = value.trim() !== '' && Number.isInteger(parsed) && parsed >= props.min && parsed <= props.max;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (valid) await run(() => props.save(parsed));
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      <form className="settings-form" onSubmit={submit}>
        <label className="field">
          <span>{props.label}</span>
          <input type="number" min={props.min} max={props.max} step={1} inputMode="numeric" value={value} aria-describedby={helpId} onChange={(e) => setValue(e.target.value)} />
          <small id={helpId} className="muted">
            {props.help}
          </small>
        </label>
        <FormError message={error} />
        <div>
          <button type="submit" className="button button--primary" disabled={busy || !valid || parsed === props.current}>
            {t('console.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The highest clearance a guest may hold; the server refuses anything above it when a guest's clearance is set. */
export function GuestClearanceForm({ clearance, save }: { clearance: string; save: SaveSettings }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [value, setValue] = useState(clearance);
  const { busy, error, run } = useServerCall();
  const headingId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(() => save({ guestMaxClearance: value }));
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('console.guestsTitle')}</h2>
      <p className="muted">{t('console.guestsExplained')}</p>
      <form className="settings-form" onSubmit={submit}>
        <LabelSelect label={t('console.guestMaxClearance')} options={labels.list} value={value} onChange={setValue} />
        <FormError message={error} />
        <div>
          <button type="submit" className="button button--primary" disabled={busy || value === clearance}>
            {t('console.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
