import { AVAILABILITY_ROOM_LIMIT, type PersonAvailability, type RoomSummary } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { usePeople } from '../people/people-context';
import { formatUntil } from './format-until';

/**
 * Above the composer of a DM or small group: who is off work and until when on their own clock, with the three ways
 * to send. Sending quietly is what the send button does. Scheduling for their start and urgent sending are shown but
 * disabled until the scheduled-send and urgent APIs (issue 17, part 2) exist; they plug in here.
 */
export function OffWorkHint({ room }: { room: RoomSummary }) {
  const { t, i18n } = useTranslation();
  const people = usePeople();
  const [off, setOff] = useState<PersonAvailability[]>([]);
  const small = room.kind !== 'channel' && room.memberCount <= AVAILABILITY_ROOM_LIMIT;
  useEffect(() => {
    setOff([]);
    if (!small) return;
    let current = true;
    api.endpoint('getRoomAvailability')({ params: { roomId: room.id } }).then(
      ({ people: states }) => current && setOff(states.filter((state) => !state.atWork)),
      () => undefined, // Without the answer there is simply no hint.
    );
    return () => {
      current = false;
    };
  }, [room.id, small]);
  if (off.length === 0) return null;
  return (
    <div className="off-work-hint" role="note" aria-label={t('workHours.hintLabel')}>
      <ul className="off-work-hint__people">
        {off.map((state) => {
          const name = people.byId.get(state.userId)?.displayName ?? t('common.someone');
          return <li key={state.userId}>{state.until ? t('workHours.personOffUntil', { name, until: formatUntil(state.until, state.timeZone, i18n.language) }) : t('workHours.personOff', { name })}</li>;
        })}
      </ul>
      <div className="off-work-hint__choices" role="group" aria-label={t('workHours.choices')}>
        <button type="button" className="button button--small" aria-pressed="true">
          {t('workHours.sendQuietly')}
        </button>
        <button type="button" className="button button--small" disabled title={t('workHours.notYet')}>
          {t('workHours.scheduleForStart')}
        </button>
        <button type="button" className="button button--small" disabled title={t('workHours.notYet')}>
          {t('workHours.urgent')}
        </button>
      </div>
    </div>
  );
}
