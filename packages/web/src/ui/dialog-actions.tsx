import { useTranslation } from 'react-i18next';

/** The foot of a form dialog: Cancel, and the submit button that does the dialog's one job. */
export function DialogActions({ submitLabel, disabled, onCancel }: { submitLabel: string; disabled: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="dialog__actions">
      <button type="button" className="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" className="button button--primary" disabled={disabled}>
        {submitLabel}
      </button>
    </div>
  );
}
