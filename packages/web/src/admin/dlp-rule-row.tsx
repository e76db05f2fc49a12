import type { DlpRule } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { LabelChip } from '../labels/label-chip';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { useDlpDescriptions } from './dlp-descriptions';

interface DlpRuleRowProps {
  rule: DlpRule;
  onChange: (rule: DlpRule) => void;
  onEdit: () => void;
  onDelete: () => void;
}

/** One rule in the list: what it finds, where, what it does, and a switch to turn it off without losing it. */
export function DlpRuleRow({ rule, onChange, onEdit, onDelete }: DlpRuleRowProps) {
  const { t } = useTranslation();
  const describe = useDlpDescriptions();
  const { busy, error, run } = useServerCall();
  const name = rule.name;

  // The switch shows the wanted state while the server answers, and falls back to the saved one if it refuses.
  const [wanted, setWanted] = useState<boolean | null>(null);
  const enabled = wanted ?? rule.enabled;

  const toggle = async (next: boolean) => {
    setWanted(next);
    await run(async () => onChange((await api.endpoint('updateDlpRule')({ params: { ruleId: rule.id }, body: { enabled: next } })).rule));
    setWanted(null);
  };

  return (
    <tr className={enabled ? undefined : 'dlp-table__row--off'}>
      <th scope="row" className="room-table__name">
        {name}
        <FormError message={error} />
      </th>
      <td className="dlp-table__detector">{describe.detector(rule.detector)}</td>
      <td>{describe.scope(rule.scope)}</td>
      <td>
        <span className={`dlp-action dlp-action--${rule.action}`}>{describe.action(rule.action)}</span>
        {rule.raisesLabelTo !== null && (
          <small className="muted dlp-table__raises">
            {' '}
            {t('dlp.raisesTo')} <LabelChip labelId={rule.raisesLabelTo} />
          </small>
        )}
      </td>
      <td>
        <label className="checkbox">
          <input type="checkbox" checked={enabled} disabled={busy} aria-label={t('dlp.enabledNamed', { name })} onChange={(e) => void toggle(e.target.checked)} />
          <span aria-hidden="true">{enabled ? t('dlp.on') : t('dlp.off')}</span>
        </label>
      </td>
      <td>
        <div className="room-table__actions">
          <button type="button" className="button button--small" aria-label={t('dlp.editNamed', { name })} onClick={onEdit}>
            {t('dlp.edit')}
          </button>
          <button type="button" className="button button--small button--danger" aria-label={t('dlp.deleteNamed', { name })} onClick={onDelete}>
            {t('dlp.delete')}
          </button>
        </div>
      </td>
    </tr>
  );
}
