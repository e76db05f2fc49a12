import type { RecordDetail } from '@enclave/protocol';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { useFormatFileSize } from '../files/use-format-file-size';
import { LabelChip } from '../labels/label-chip';
import { usePeople } from '../people/people-context';
import { useFormatTime } from '../ui/use-format-time';

/** One opened record: its text, earlier versions, thread, reactions and files (each file opening is audited too). */
export function RecordDetailView({ record, onClose }: { record: RecordDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const time = useFormatTime();
  const formatSize = useFormatFileSize();
  const headingId = useId();
  const nameOf = (userId: string) => people.byId.get(userId)?.displayName ?? t('common.someone');
  const room = record.roomName ?? t('compliance.records.directMessage');

  return (
    <section className="record-detail" aria-labelledby={headingId}>
      <header className="held__header">
        <h3 id={headingId}>{t('compliance.records.detailTitle')}</h3>
        <LabelChip labelId={record.label} />
        <button type="button" className="button button--small" onClick={onClose}>
          {t('compliance.records.close')}
        </button>
      </header>
      <p className="muted">{t('compliance.records.auditedNotice')}</p>
      <dl className="held__facts">
        <dt>{t('compliance.records.sender')}</dt>
        <dd>{nameOf(record.senderId)}</dd>
        <dt>{t('compliance.records.room')}</dt>
        <dd>{room}</dd>
        <dt>{record.kind === 'held' ? t('compliance.records.heldAt') : t('compliance.records.sentAt')}</dt>
        <dd>{time.full(record.at)}</dd>
        {(['editedAt', 'deletedAt', 'recalledAt'] as const).map((field) => {
          const at = record[field];
          return at === null ? null : [<dt key={`${field}-term`}>{t(`compliance.records.${field}`)}</dt>, <dd key={`${field}-value`}>{time.full(at)}</dd>];
        })}
      </dl>
      <blockquote className="held__text" aria-label={t('compliance.records.text')}>
        {record.text}
      </blockquote>
      {record.versions.length > 0 && (
        <ol className="record-detail__versions" aria-label={t('compliance.records.versions')}>
          {record.versions.map((version) => (
            <li key={version.version}>
              <span className="muted">{t('compliance.records.versionReplaced', { version: version.version, time: time.full(version.replacedAt) })}</span>
              <blockquote className="held__text">{version.text}</blockquote>
            </li>
          ))}
        </ol>
      )}
      {record.thread.length > 0 && (
        <ol className="record-detail__thread" aria-label={t('compliance.records.thread')}>
          {record.thread.map((message) => (
            <li key={message.messageId} aria-current={message.messageId === record.recordId.slice(2) ? 'true' : undefined}>
              <strong>{nameOf(message.senderId)}</strong> {message.state !== 'current' && <span className="record__kind">{t(`compliance.records.kinds.${message.state}`)}</span>} {message.text}
            </li>
          ))}
        </ol>
      )}
      {record.reactions.length > 0 && (
        <p aria-label={t('compliance.records.reactions')}>{record.reactions.map((reaction) => `${reaction.emoji} ${nameOf(reaction.userId)}`).join(' · ')}</p>
      )}
      {record.files.length > 0 && (
        <ul className="held__files" aria-label={t('compliance.records.files')}>
          {record.files.map((file) => (
            <li key={file.id}>
              <span className="held__file-name">{file.name}</span> <span className="held__file-size">{formatSize(file.size)}</span>{' '}
              <a className="button button--small" href={api.recordFileContentUrl(record.recordId, file.id, 'inline')} target="_blank" rel="noopener noreferrer">
                {t('compliance.records.viewFile')}
              </a>{' '}
              <a className="button button--small" href={api.recordFileContentUrl(record.recordId, file.id, 'attachment')} download={file.name}>
                {t('compliance.records.downloadFile')}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
