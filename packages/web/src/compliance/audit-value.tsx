import { useTranslation } from 'react-i18next';
import { useAuditWords } from './audit-words';

/** Detail keys whose value is a room's id: the officer can narrow the log to that room from them. */
const ROOM_KEYS = new Set(['roomId', 'toRoomId', 'fromRoomId', 'roomIds']);

export interface NameProps {
  names: Readonly<Record<string, string>>;
  onRoom(roomId: string): void;
}

/**
 * One recorded value as a reader wants it: ids of people and rooms by name (the id on hover), yes and no in words,
 * lists joined, a change as "before → after"; anything else structured as compact JSON, never hidden.
 */
export function AuditValue({ field, value, names, onRoom }: NameProps & { field: string; value: unknown }) {
  const { t } = useTranslation();
  const words = useAuditWords();
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return <>—</>;
  if (typeof value === 'boolean') return <>{value ? t('compliance.yes') : t('compliance.no')}</>;
  if (typeof value === 'string') {
    // A reading's filter names an action: in words too, the code on hover.
    if (field === 'action') return <span title={value}>{words.action(value)}</span>;
    const name = names[value];
    if (name === undefined) return <>{value}</>;
    if (ROOM_KEYS.has(field)) {
      return (
        <button type="button" className="link-button" title={value} aria-label={t('compliance.onlyRoom', { name })} onClick={() => onRoom(value)}>
          {name}
        </button>
      );
    }
    return <span title={value}>{name}</span>;
  }
  if (Array.isArray(value)) {
    return (
      <>
        {value.map((item, index) => (
          <span key={index}>
            {index > 0 && ', '}
            <AuditValue field={field} value={item} names={names} onRoom={onRoom} />
          </span>
        ))}
      </>
    );
  }
  if (typeof value === 'object' && isChange(value)) {
    return (
      <>
        <AuditValue field={field} value={value.from} names={names} onRoom={onRoom} /> → <AuditValue field={field} value={value.to} names={names} onRoom={onRoom} />
      </>
    );
  }
  return <>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</>;
}

function isChange(value: object): value is { from: unknown; to: unknown } {
  const keys = Object.keys(value);
  return keys.length === 2 && keys.includes('from') && keys.includes('to');
}
