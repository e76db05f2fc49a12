import { DlpAudience } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { LabelChip } from '../labels/label-chip';
import { useLabels } from '../labels/labels-context';
import { DlpRoomPicker } from './dlp-room-picker';
import type { DlpRuleDraft } from './dlp-rule-draft';

/** Adds or removes one item of a list, keeping the rest in order. */
function toggled<T>(list: T[], item: T, on: boolean): T[] {
  return on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
}

/** Where a rule applies: everywhere, or only in rooms that meet every condition chosen here. */
export function DlpScopeFields({ draft, onChange }: { draft: DlpRuleDraft; onChange: (draft: DlpRuleDraft) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <fieldset className="dlp-fieldset">
      <legend>{t('dlp.scope')}</legend>
      <div className="dlp-choices" role="radiogroup" aria-label={t('dlp.scope')}>
        <label className="checkbox">
          <input type="radio" name="scope-kind" checked={draft.everywhere} onChange={() => onChange({ ...draft, everywhere: true })} />
          <span>{t('dlp.everywhere')}</span>
        </label>
        <label className="checkbox">
          <input type="radio" name="scope-kind" checked={!draft.everywhere} onChange={() => onChange({ ...draft, everywhere: false })} />
          <span>{t('dlp.onlyWhere')}</span>
        </label>
      </div>
      {!draft.everywhere && (
        <div className="dlp-conditions">
          <p className="muted">{t('dlp.conditionsExplained')}</p>
          <DlpRoomPicker value={draft.roomIds} onChange={(roomIds) => onChange({ ...draft, roomIds })} />
          <fieldset className="dlp-subfieldset">
            <legend>{t('dlp.ceilings')}</legend>
            <div className="dlp-choices">
              {labels.list.map((label) => (
                <label key={label.id} className="checkbox">
                  <input
                    type="checkbox"
                    aria-label={t('dlp.ceilingNamed', { name: labels.nameOf(label.id) })}
                    checked={draft.ceilings.includes(label.id)}
                    onChange={(e) => onChange({ ...draft, ceilings: toggled(draft.ceilings, label.id, e.target.checked) })}
                  />
                  <LabelChip labelId={label.id} />
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="dlp-subfieldset">
            <legend>{t('dlp.audiencesTitle')}</legend>
            <div className="dlp-choices">
              {DlpAudience.options.map((audience) => (
                <label key={audience} className="checkbox">
                  <input
                    type="checkbox"
                    checked={draft.audiences.includes(audience)}
                    onChange={(e) => onChange({ ...draft, audiences: toggled(draft.audiences, audience, e.target.checked) })}
                  />
                  <span>{t(`dlp.audienceChoices.${audience}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
        </div>
      )}
    </fieldset>
  );
}
