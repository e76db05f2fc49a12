import type { RecordSummary } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { LabelChip } from '../labels/label-chip';
import { usePeople } from '../people/people-context';
import { useFormatTime } from '../ui/use-format-time';

interface RecordsSearchResultProps {
  record: RecordSummary;
  onOpen: (record: RecordSummary) => void;
  onOnlyRoom: (roomId: string, name: string) => void;
}

/** One found record: what kind of text it is, who sent it where and when, its label and files; no text until opened. */
export function RecordsSearchResult({ record, onOpen, onOnlyRoom }: RecordsSearchResultProps) {
  const { t } = useTranslation();
  const people = usePeople();
  const time = useFormatTime();
  const sender = people.byId.get(record.senderId)?.displayName ?? t('common.someone');
  const room = record.roomName ?? t('compliance.records.directMessage');
  const at = time.full(record.at);

  return (
    <article className={`record record--${record.kind}`}>
      <span className={`record__kind record__kind--${record.kind}`}>{t(`compliance.records.kinds.${record.kind}`, { version: record.version })}</span>
      <span className="record__who">{t('compliance.records.summary', { name: sender, room })}</span>
      <time className="record__at" dateTime={record.at}>
        {at}
      </time>
      <LabelChip labelId={record.label} />
      {record.files.length > 0 && <span className="record__files">{t('compliance.records.fileCount', { count: record.files.length })}</span>}
      <span className="record__actions">
        <button type="button" className="button button--small" aria-label={t('compliance.records.openNamed', { name: sender, time: at })} onClick={() => onOpen(record)}>
          {t('compliance.records.open')}
        </button>
        <button type="button" className="link-button" onClick={() => onOnlyRoom(record.roomId, room)}>
          {t('compliance.records.onlyThisRoom')}
        </button>
      </span>
    </article>
  );
}
