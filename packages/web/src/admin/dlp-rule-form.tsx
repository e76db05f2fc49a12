import { DlpAction, type DlpRule } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { DlpDetectorFields, isPatternInvalid } from './dlp-detector-fields';
import { useLabels } from '../labels/labels-context';
import { detectorComplete, detectorOf, draftOf, raiseComplete, scopeComplete, scopeOf } from './dlp-rule-draft';
import { DlpScopeFields } from './dlp-scope-fields';

interface DlpRuleFormProps {
  /** The rule to change, or none to add one. */
  rule: DlpRule | undefined;
  onSaved: (rule: DlpRule) => void;
  onCancel: () => void;
}

/** Writes one rule: its name, what it detects, where it applies and what happens to a message that matches. */
export function DlpRuleForm({ rule, onSaved, onCancel }: DlpRuleFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => draftOf(rule));
  const [patternError, setPatternError] = useState<string | undefined>();
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const labels = useLabels();
  const complete = draft.name.trim().length > 0 && detectorComplete(draft) && scopeComplete(draft) && raiseComplete(draft);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!complete) return;
    setPatternError(undefined);
    const body = { name: draft.name.trim(), detector: detectorOf(draft), scope: scopeOf(draft), action: draft.action, raisesLabelTo: draft.raisesLabelTo, enabled: draft.enabled };
    await run(async () => {
      try {
        onSaved((rule ? await api.endpoint('updateDlpRule')({ params: { ruleId: rule.id }, body }) : await api.endpoint('createDlpRule')({ body })).rule);
      } catch (failure) {
        // A bad pattern is shown at its field, where it is fixed, rather than at the foot of the form.
        if (!isPatternInvalid(failure)) throw failure;
        setPatternError(failure.message);
      }
    });
  }

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{rule ? t('dlp.editTitle', { name: rule.name }) : t('dlp.addTitle')}</h2>
      <form className="dlp-form" onSubmit={save}>
        <label className="field">
          <span>{t('dlp.name')}</span>
          <input value={draft.name} maxLength={80} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <DlpDetectorFields draft={draft} onChange={setDraft} patternError={patternError} onPatternError={setPatternError} />
        <DlpScopeFields draft={draft} onChange={setDraft} />
        {!scopeComplete(draft) && <p className="muted">{t('dlp.chooseCondition')}</p>}
        <fieldset className="dlp-fieldset">
          <legend>{t('dlp.action')}</legend>
          <div className="dlp-actions" role="radiogroup" aria-label={t('dlp.action')}>
            {DlpAction.options.map((action) => (
              <label key={action} className="dlp-actions__choice">
                <input type="radio" name="action" checked={draft.action === action} onChange={() => setDraft({ ...draft, action })} />
                <span className="dlp-actions__name">{t(`dlp.actions.${action}`)}</span>
                <small className="muted">{t(`dlp.actionHelp.${action}`)}</small>
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field">
          <span>{t('dlp.raisesLabelTo')}</span>
          <select value={draft.raisesLabelTo ?? ''} onChange={(e) => setDraft({ ...draft, raisesLabelTo: e.target.value === '' ? null : e.target.value })}>
            <option value="">{t('dlp.raisesNothing')}</option>
            {labels.list.map((label) => (
              <option key={label.id} value={label.id}>
                {labels.nameOf(label.id)}
              </option>
            ))}
          </select>
          <small className="muted">{t('dlp.raisesLabelToHelp')}</small>
        </label>
        {!raiseComplete(draft) && <p className="muted">{t('dlp.chooseRaisedLabel')}</p>}
        <label className="checkbox">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} />
          <span>{t('dlp.enabledField')}</span>
        </label>
        <FormError message={error} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy || !complete}>
            {rule ? t('dlp.save') : t('dlp.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
