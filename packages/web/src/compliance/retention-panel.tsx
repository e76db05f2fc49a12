import type { RetentionPolicy } from '@enclave/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { RetentionForm } from './retention-form';
import { RetentionPurgeButton } from './retention-purge-button';
import { RetentionRow } from './retention-row';

/** The "Retention" tab: the organisation default and the room and label policies, a form to set one, and "Purge now". */
export function RetentionPanel() {
  const { t } = useTranslation();
  const [policies, setPolicies] = useState<RetentionPolicy[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();

  const load = useCallback(async () => {
    try {
      setPolicies((await api.endpoint('listRetention')()).policies);
      setError(undefined);
    } catch (failure) {
      setError(describeError(failure));
    }
  }, []);
  useEffect(() => void load(), [load]);

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('compliance.retention.title')}</h2>
      <p className="muted">{t('compliance.retention.explained')}</p>
      <RetentionForm onSaved={() => void load()} />
      <FormError message={error} />
      {policies?.length === 0 && <p className="muted">{t('compliance.retention.none')}</p>}
      {policies && policies.length > 0 && (
        <div className="room-table__scroller">
          <table className="room-table audit-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{t('compliance.retention.appliesTo')}</th>
                <th scope="col">{t('compliance.retention.deleteAfter')}</th>
                <th scope="col">{t('compliance.retention.keepAtLeast')}</th>
                <th scope="col">{t('compliance.retention.remove')}</th>
              </tr>
            </thead>
            <tbody>
              {policies.map((policy) => (
                <RetentionRow key={`${policy.scope}:${policy.targetId ?? ''}`} policy={policy} onRemoved={setPolicies} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RetentionPurgeButton />
    </section>
  );
}
