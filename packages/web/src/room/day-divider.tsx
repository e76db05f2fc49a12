import { useTranslation } from 'react-i18next';

export function DayDivider({ at }: { at: string }) {
  const { i18n } = useTranslation();
  const label = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(at));
  return (
    <div className="day-divider" role="separator" aria-label={label}>
      <span>{label}</span>
    </div>
  );
}
