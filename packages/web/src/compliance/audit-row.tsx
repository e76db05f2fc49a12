import type { AuditEntry } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { useFormatTime } from '../ui/use-format-time';
import { AuditValue } from './audit-value';
import { useAuditWords } from './audit-words';

export interface AuditRowProps {
  entry: AuditEntry;
  /** Names of the people and rooms the page mentions, by id. */
  names: Readonly<Record<string, string>>;
  onPerson(userId: string): void;
  onRoom(roomId: string): void;
}

/** One audit entry in words: when, who, what, on what, and the details recorded with it as labelled fields. */
export function AuditRow({ entry, names, onPerson, onRoom }: AuditRowProps) {
  const { t } = useTranslation();
  const words = useAuditWords();
  const time = useFormatTime();
  const details = Object.entries(entry.data);
  const actorName = entry.actorId ? (names[entry.actorId] ?? entry.actorId) : undefined;
  const target = entry.target;

  return (
    <tr>
      <td className="room-table__number" title={entry.hash}>
        {entry.seq}
      </td>
      <td>
        <time dateTime={entry.at} title={time.full(entry.at)}>
          {time.day(entry.at)} {time.time(entry.at)}
        </time>
      </td>
      <td>
        {entry.actorId && actorName ? (
          <button type="button" className="link-button" title={entry.actorId} aria-label={t('compliance.onlyPerson', { name: actorName })} onClick={() => onPerson(entry.actorId!)}>
            {actorName}
          </button>
        ) : (
          t('compliance.system')
        )}
        {entry.ip && <div className="muted">{entry.ip}</div>}
      </td>
      <td title={entry.action}>{words.action(entry.action)}</td>
      <td className="audit-table__target">
        {target && (
          <>
            <span className="muted">{words.target(target.type)}</span> <AuditValue field={target.type === 'room' ? 'roomId' : 'targetId'} value={target.id} names={names} onRoom={onRoom} />
          </>
        )}
      </td>
      <td className="audit-table__data">
        {details.length > 0 && (
          <dl className="audit-data">
            {details.map(([key, value]) => (
              <div key={key}>
                <dt>{words.field(key)}</dt>
                <dd>
                  <AuditValue field={key} value={value} names={names} onRoom={onRoom} />
                </dd>
              </div>
            ))}
          </dl>
        )}
      </td>
    </tr>
  );
}
