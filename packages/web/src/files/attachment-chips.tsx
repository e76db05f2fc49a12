import { useTranslation } from 'react-i18next';
import { LabelChip } from '../labels/label-chip';
import { useLabels } from '../labels/labels-context';
import { FormError } from '../ui/form-error';
import { FileTypeIcon } from './file-type-icon';
import { useFormatFileSize } from './use-format-file-size';
import type { Attachment, Attachments } from './use-attachments';

/** The composer's files, one chip each: uploading (with a spinner), refused (with the server's reason), or ready. */
export function AttachmentChips({ attachments }: { attachments: Attachments }) {
  const { t } = useTranslation();
  if (attachments.items.length === 0) return <FormError message={attachments.notice} />;
  return (
    <>
      <ul className="attachments" aria-label={t('files.attachments')}>
        {attachments.items.map((item) => (
          <AttachmentChip key={item.key} item={item} composerLabel={attachments.label} onRemove={() => attachments.remove(item.key)} onRetry={() => attachments.retry(item.key)} />
        ))}
      </ul>
      <FormError message={attachments.notice} />
    </>
  );
}

interface AttachmentChipProps {
  item: Attachment;
  composerLabel: string | undefined;
  onRemove: () => void;
  onRetry: () => void;
}

function AttachmentChip({ item, composerLabel, onRemove, onRetry }: AttachmentChipProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const formatSize = useFormatFileSize();
  // A file uploaded before the label was lowered keeps its label, and the server raises the message's to match it.
  const labelAbove = item.state === 'ready' && composerLabel !== undefined && labels.isAbove(item.info.label, composerLabel) ? item.info.label : undefined;
  const name = item.state === 'ready' ? item.info.name : item.file.name;
  const size = item.state === 'ready' ? item.info.size : item.file.size;
  return (
    <li className={`attachment attachment--${item.state}`} aria-busy={item.state === 'uploading' || undefined}>
      {item.state === 'ready' ? <FileTypeIcon mime={item.info.mime} /> : <span className={item.state === 'uploading' ? 'spinner' : 'attachment__alert'} aria-hidden="true" />}
      <span className="attachment__text">
        <span className="attachment__name">{name}</span>
        {item.state === 'failed' ? (
          <span className="attachment__error" role="alert">
            {item.error}
          </span>
        ) : (
          <span className="attachment__size">
            {formatSize(size)}
            {item.state === 'uploading' && ` · ${t('files.uploading')}`}
            {labelAbove && <LabelChip labelId={labelAbove} />}
          </span>
        )}
      </span>
      {item.state === 'failed' && (
        <button type="button" className="link-button attachment__retry" aria-label={t('files.retryNamed', { name })} onClick={onRetry}>
          {t('files.retry')}
        </button>
      )}
      <button type="button" className="icon-button attachment__remove" aria-label={t('files.removeNamed', { name })} title={t('files.removeNamed', { name })} onClick={onRemove}>
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      </button>
    </li>
  );
}
