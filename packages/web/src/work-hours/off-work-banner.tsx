import type { OffWorkSummary } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { formatUntil } from './format-until';
import { useMyAvailability } from './my-work-hours-context';

/**
 * My off time, said calmly (notifications are quiet until my next start), and once back at work the one "while you
 * were off" summary of mentions; the server gives it to one session once per working period.
 */
export function OffWorkBanner() {
  const { t, i18n } = useTranslation();
  const availability = useMyAvailability();
  const [summary, setSummary] = useState<OffWorkSummary>();
  const atWork = availability?.atWork === true;
  useEffect(() => {
    if (!atWork) return;
    let current = true;
    api.endpoint('claimOffWorkSummary')().then(
      (answer) => current && answer.summary !== null && answer.summary.mentions > 0 && setSummary(answer.summary),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [atWork]);

  if (availability && !availability.atWork) {
    return (
      <div className="banner banner--calm" role="status">
        {availability.until ? t('workHours.offUntil', { until: formatUntil(availability.until, availability.timeZone, i18n.language) }) : t('workHours.off')}
      </div>
    );
  }
  if (!summary) return null;
  return (
    <div className="banner banner--calm" role="status">
      {t('workHours.summary', { mentions: t('workHours.mentions', { count: summary.mentions }), rooms: t('workHours.rooms', { count: summary.rooms }) })}{' '}
      <button type="button" className="link-button" onClick={() => setSummary(undefined)}>
        {t('common.close')}
      </button>
    </div>
  );
}
