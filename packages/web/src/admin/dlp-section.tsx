import type { DlpRule } from '@enclave/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { DlpDeleteDialog } from './dlp-delete-dialog';
import { DlpRuleForm } from './dlp-rule-form';
import { DlpRuleRow } from './dlp-rule-row';

/** What the rule form is doing: adding a rule, or changing one. */
type Editing = { rule: DlpRule | undefined };

/** Data protection: the DLP rules, each a detector, a scope and an action, with a form to add or change one. */
export function DlpSection() {
  const { t } = useTranslation();
  const [rules, setRules] = useState<DlpRule[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [editing, setEditing] = useState<Editing | undefined>();
  const [deleting, setDeleting] = useState<DlpRule | undefined>();
  const headingId = useId();

  const reload = useCallback(() => {
    api.endpoint('listDlpRules')().then(
      (answer) => setRules(answer.rules),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(reload, [reload]);

  const replace = (rule: DlpRule) => setRules((current) => current?.map((r) => (r.id === rule.id ? rule : r)));

  function saved(rule: DlpRule) {
    setRules((current) => (current?.some((r) => r.id === rule.id) ? current.map((r) => (r.id === rule.id ? rule : r)) : [...(current ?? []), rule]));
    setEditing(undefined);
  }

  function deleted(rule: DlpRule) {
    setRules((current) => current?.filter((r) => r.id !== rule.id));
    setDeleting(undefined);
    if (editing?.rule?.id === rule.id) setEditing(undefined);
  }

  return (
    <>
      {editing && <DlpRuleForm key={editing.rule?.id ?? 'new'} rule={editing.rule} onSaved={saved} onCancel={() => setEditing(undefined)} />}
      <section className="card card--wide" aria-labelledby={headingId}>
        <div className="dlp-heading">
          <h2 id={headingId}>{t('dlp.title')}</h2>
          <button type="button" className="button button--primary button--small" onClick={() => setEditing({ rule: undefined })}>
            {t('dlp.add')}
          </button>
        </div>
        <p className="muted">{t('dlp.explained')}</p>
        <FormError message={error} />
        {rules && rules.length === 0 && <p className="muted">{t('dlp.none')}</p>}
        {rules && rules.length > 0 && (
          <div className="room-table__scroller">
            <table className="room-table dlp-table" aria-labelledby={headingId}>
              <thead>
                <tr>
                  <th scope="col">{t('dlp.name')}</th>
                  <th scope="col">{t('dlp.detects')}</th>
                  <th scope="col">{t('dlp.scope')}</th>
                  <th scope="col">{t('dlp.action')}</th>
                  <th scope="col">{t('dlp.enabled')}</th>
                  <th scope="col">{t('adminRooms.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rules.map((rule) => (
                  <DlpRuleRow key={rule.id} rule={rule} onChange={replace} onEdit={() => setEditing({ rule })} onDelete={() => setDeleting(rule)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {deleting && <DlpDeleteDialog rule={deleting} onClose={() => setDeleting(undefined)} onDeleted={() => deleted(deleting)} />}
    </>
  );
}
