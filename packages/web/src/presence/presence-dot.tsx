import { useTranslation } from 'react-i18next';
import { usePresence } from './presence-context';

/** A small coloured dot with its status as text for screen readers (and as a tooltip). */
export function PresenceDot({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const status = usePresence().statusOf(userId);
  const label = t(`presence.${status}`);
  return (
    <span className={`presence-dot presence-dot--${status}`} role="img" aria-label={label} title={label} data-presence={status} />
  );
}
