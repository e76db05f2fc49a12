import { useTranslation } from 'react-i18next';

/** Above an urgent message: that it rang through quiet hours, and the sender's reason for it, for everyone to read. */
export function UrgentMark({ reason }: { reason: string }) {
  const { t } = useTranslation();
  return (
    <p className="urgent-mark">
      <span className="urgent-flag">{t('urgent.flag')}</span> <span className="urgent-mark__reason">{t('urgent.reasonShown', { reason })}</span>
    </p>
  );
}
