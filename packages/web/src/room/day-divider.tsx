import { useFormatTime } from '../ui/use-format-time';

export function DayDivider({ at }: { at: string }) {
  const label = useFormatTime().day(at);
  return (
    <div className="day-divider" role="separator" aria-label={label}>
      <span>{label}</span>
    </div>
  );
}
