import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels/labels-context';
import { CreateLabelForm } from './create-label-form';
import { LabelRow } from './label-row';

/** The classification labels, lowest first: rename or recolour each, or add one at a position. */
export function LabelsSection() {
  const { t } = useTranslation();
  const labels = useLabels();
  const headingId = useId();
  return (
    <>
      <section className="card" aria-labelledby={headingId}>
        <h2 id={headingId}>{t('labels.tab')}</h2>
        <p className="muted">{t('labels.adminExplained')}</p>
        <ol className="label-admin">
          {labels.list.map((label) => (
            // Keyed by content too, so that a change saved anywhere resets the row's fields to the server's copy.
            <LabelRow key={JSON.stringify(label)} label={label} onSaved={labels.reload} />
          ))}
        </ol>
      </section>
      <CreateLabelForm labels={labels.list} onCreated={labels.reload} />
    </>
  );
}
