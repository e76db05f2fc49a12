import { useTranslation } from 'react-i18next';
import { navigate } from '../app/router';
import { ClockIcon } from '../ui/icons';

/** The sidebar's way to my scheduled messages, beside the mentions. */
export function ScheduledLink({ open }: { open: boolean }) {
  const { t } = useTranslation();
  return (
    <a
      href="/scheduled"
      className="room-link"
      aria-current={open ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate({ page: 'scheduled' });
      }}
    >
      <span className="room-link__icon" aria-hidden="true">
        <ClockIcon />
      </span>
      <span className="room-link__name">{t('scheduled.link')}</span>
    </a>
  );
}
