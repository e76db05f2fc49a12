import type { AuditEntry } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { usePeople, type People } from '../people/people-context';
import { useFormatTime } from '../ui/use-format-time';

/** One audit entry: when, who, what, on what, and the details recorded with it. */
export function AuditRow({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const people = usePeople();
  const time = useFormatTime();
  const actor = entry.actorId ? (people.byId.get(entry.actorId)?.displayName ?? entry.actorId) : t('compliance.system');
  const details = Object.entries(entry.data);

  return (
    <tr>
      <td className="room-table__number">{entry.seq}</td>
      <td>
        <time dateTime={entry.at} title={time.full(entry.at)}>
          {time.day(entry.at)} {time.time(entry.at)}
        </time>
      </td>
      <td>
        {actor}
        {entry.ip && <div className="muted">{entry.ip}</div>}
      </td>
      <td>
        <code>{entry.action}</code>
      </td>
      <td className="audit-table__target">
        {entry.target && (
          <>
            <span className="muted">{entry.target.type}</span> {readable(entry.target.id, people)}
          </>
        )}
      </td>
      <td className="audit-table__data">
        {details.length > 0 && (
          <dl className="audit-data">
            {details.map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{readable(value, people)}</dd>
              </div>
            ))}
          </dl>
        )}
      </td>
    </tr>
  );
}

/** A recorded value as a reader wants it: a person's name instead of their id, anything structured as compact JSON. */
function readable(value: unknown, people: People): string {
  if (typeof value === 'string') return people.byId.get(value)?.displayName ?? value;
  return JSON.stringify(value);
}
