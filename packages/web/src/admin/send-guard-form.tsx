import type { SendGuardPolicy } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels/labels-context';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import type { SaveSettings } from './settings-forms';

const MEMBERS_MAX = 1_000_000;
/** What the member-count field offers when the condition is switched on again. */
const MEMBERS_SUGGESTED = 50;

/**
 * The wrong-recipient guard: when a send must first be confirmed by its sender. Any one condition that holds is
 * enough; the server enforces it, so no client can skip the question.
 */
export function SendGuardForm({ policy, save }: { policy: SendGuardPolicy; save: SaveSettings }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [draft, setDraft] = useState(policy);
  const [members, setMembers] = useState(String(policy.membersAbove ?? MEMBERS_SUGGESTED));
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const explainedId = useId();

  const membersCount = Number(members);
  const membersValid = draft.membersAbove === null || (Number.isInteger(membersCount) && membersCount >= 1 && membersCount <= MEMBERS_MAX);
  const next: SendGuardPolicy = { ...draft, membersAbove: draft.membersAbove === null ? null : membersCount };
  const changed = JSON.stringify(next) !== JSON.stringify(policy);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (membersValid) await run(() => save({ sendGuard: next }));
  }

  const flag = (field: 'guests' | 'otherDepartments' | 'files', text: string) => (
    <label className="checkbox">
      <input type="checkbox" checked={draft[field]} onChange={(e) => setDraft({ ...draft, [field]: e.target.checked })} />
      <span>{text}</span>
    </label>
  );

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('console.guardTitle')}</h2>
      <p id={explainedId} className="muted">
        {t('console.guardExplained')}
      </p>
      <form className="settings-form" aria-describedby={explainedId} onSubmit={submit}>
        <fieldset className="dlp-fieldset">
          <legend>{t('console.guardWhen')}</legend>
          {flag('guests', t('console.guardGuests'))}
          {flag('otherDepartments', t('console.guardOtherDepartments'))}
          <div className="guard-members">
            <label className="checkbox">
              <input type="checkbox" checked={draft.membersAbove !== null} onChange={(e) => setDraft({ ...draft, membersAbove: e.target.checked ? membersCount || MEMBERS_SUGGESTED : null })} />
              <span>{t('console.guardMembersAbove')}</span>
            </label>
            <input
              type="number"
              min={1}
              max={MEMBERS_MAX}
              inputMode="numeric"
              aria-label={t('console.guardMembersCount')}
              disabled={draft.membersAbove === null}
              value={members}
              onChange={(e) => setMembers(e.target.value)}
            />
            <span>{t('console.guardMembersUnit')}</span>
          </div>
          <label className="field guard-label">
            <span>{t('console.guardLabel')}</span>
            <select value={draft.labelAtOrAbove ?? ''} onChange={(e) => setDraft({ ...draft, labelAtOrAbove: e.target.value || null })}>
              <option value="">{t('console.guardLabelNever')}</option>
              {labels.list.map((label) => (
                <option key={label.id} value={label.id}>
                  {labels.nameOf(label.id)}
                </option>
              ))}
            </select>
          </label>
          {flag('files', t('console.guardFiles'))}
        </fieldset>
        <p className="muted">{t('console.guardDefaults')}</p>
        <FormError message={error} />
        <div>
          <button type="submit" className="button button--primary" disabled={busy || !membersValid || !changed}>
            {t('console.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
