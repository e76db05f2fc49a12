import type { RetentionPolicy } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useLabels } from '../labels/labels-context';
import { FormError } from '../ui/form-error';

/** One policy, in words: what it applies to, its two ages, and its removal. */
export function RetentionRow({ policy, onRemoved }: { policy: RetentionPolicy; onRemoved: (policies: RetentionPolicy[]) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [error, setError] = useState<string | undefined>();
  const target = policy.scope === 'organisation' ? t('compliance.retention.scopes.organisation') : policy.scope === 'label' ? t('compliance.retention.labelNamed', { name: labels.nameOf(policy.targetId ?? '') }) : t('compliance.retention.roomNamed', { id: policy.targetId });
  const days = (value: number | null) => (value === null ? t('compliance.retention.notSet') : t('compliance.retention.days', { count: value }));

  async function remove() {
    try {
      onRemoved((await api.endpoint('removeRetention')({ body: { scope: policy.scope, ...(policy.targetId ? { targetId: policy.targetId } : {}) } })).policies);
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return (
    <tr>
      <th scope="row">{target}</th>
      <td>{days(policy.deleteAfterDays)}</td>
      <td>{days(policy.keepAtLeastDays)}</td>
      <td>
        <button type="button" className="button button--small" onClick={() => void remove()}>
          {t('compliance.retention.remove')}
        </button>
        <FormError message={error} />
      </td>
    </tr>
  );
}
