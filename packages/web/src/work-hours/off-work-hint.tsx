import { AVAILABILITY_ROOM_LIMIT, type PersonAvailability, type RoomSummary } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { usePeople } from '../people/people-context';
import { formatUntil } from './format-until';

/**
 * Above the composer of a DM or small group: who is off work and until when on their own clock, with the three ways
 * to send. Sending quietly is what the send button does; scheduling opens the composer's schedule dialog at the time
 * the last of them starts work; urgent opens its urgent dialog (the server decides who may).
 */
export function OffWorkHint({ room, onScheduleFor, onUrgent }: { room: RoomSummary; onScheduleFor: (at: number) => void; onUrgent: () => void }) {
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
  // Everyone off is back at work by the latest of their starts.
  const starts = off.flatMap((state) => (state.until ? [Date.parse(state.until)] : []));
  const start = starts.length > 0 ? Math.max(...starts) : undefined;
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
        {start !== undefined && (
          <button type="button" className="button button--small" onClick={() => onScheduleFor(start)}>
            {t('workHours.scheduleForStart')}
          </button>
        )}
        <button type="button" className="button button--small" onClick={onUrgent}>
          {t('workHours.urgent')}
        </button>
      </div>
    </div>
  );
}
