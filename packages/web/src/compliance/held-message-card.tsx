import type { HeldMessage } from '@enclave/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { useFormatFileSize } from '../files/use-format-file-size';
import { LabelChip } from '../labels/label-chip';
import { usePeople } from '../people/people-context';
import { FormError } from '../ui/form-error';
import { useFormatTime } from '../ui/use-format-time';
import { useServerCall } from '../ui/use-server-call';

/**
 * One held message as the officer must see it to decide: who sent what where, under which label, and which rules
 * held it. Pending ones can be released (delivered as sent) or rejected (the sender is told), with a note.
 */
export function HeldMessageCard({ review, onDecided }: { review: HeldMessage; onDecided: (review: HeldMessage) => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const time = useFormatTime();
  const [note, setNote] = useState('');
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const sender = people.byId.get(review.senderId)?.displayName ?? t('common.someone');
  const decider = review.decidedBy ? (people.byId.get(review.decidedBy)?.displayName ?? t('common.someone')) : undefined;
  const room = review.roomName ?? t('compliance.directMessage');
  const formatSize = useFormatFileSize();

  const decide = (decision: 'releaseReview' | 'rejectReview') =>
    run(async () => {
      const body = note.trim() ? { note: note.trim() } : {};
      onDecided((await api.endpoint(decision)({ params: { reviewId: review.id }, body })).review);
    });

  return (
    <article className="held" aria-labelledby={headingId}>
      <header className="held__header">
        <h3 id={headingId}>{t('compliance.heldFrom', { name: sender, room })}</h3>
        <LabelChip labelId={review.label} />
        {review.kind !== 'send' && <span className="held__kind">{t(`compliance.kinds.${review.kind}`)}</span>}
      </header>
      <dl className="held__facts">
        <dt>{t('compliance.sender')}</dt>
        <dd>{sender}</dd>
        <dt>{t('compliance.room')}</dt>
        <dd>{room}</dd>
        <dt>{t('compliance.heldAt')}</dt>
        <dd>
          <time dateTime={review.heldAt}>{time.full(review.heldAt)}</time>
        </dd>
        <dt>{t('compliance.rules')}</dt>
        <dd>{review.rules.map((rule) => rule.name).join(t('dlp.listSeparator'))}</dd>
        {review.decidedAt && (
          <>
            <dt>{t(`compliance.decidedBy.${review.status === 'released' ? 'released' : 'rejected'}`)}</dt>
            <dd>
              {decider} · <time dateTime={review.decidedAt}>{time.full(review.decidedAt)}</time>
            </dd>
          </>
        )}
        {review.note && (
          <>
            <dt>{t('compliance.note')}</dt>
            <dd>{review.note}</dd>
          </>
        )}
      </dl>
      <blockquote className="held__text" aria-label={t('compliance.text')}>
        {review.unreadable ? t('conversation.unreadable') : review.text}
      </blockquote>
      {review.files.length > 0 && (
        // Opened through the review, not the room: the officer is not a member, and each opening is audited.
        <ul className="held__files" aria-label={t('compliance.files')}>
          {review.files.map((file) => (
            <li key={file.id}>
              <span className="held__file-name">{file.name}</span> <span className="held__file-size">{formatSize(file.size)}</span>{' '}
              <a className="button button--small" href={api.heldFileContentUrl(review.id, file.id, 'inline')} target="_blank" rel="noopener noreferrer" aria-label={t('compliance.viewFileNamed', { name: file.name })}>
                {t('compliance.viewFile')}
              </a>{' '}
              <a className="button button--small" href={api.heldFileContentUrl(review.id, file.id, 'attachment')} download={file.name} aria-label={t('compliance.downloadFileNamed', { name: file.name })}>
                {t('compliance.downloadFile')}
              </a>
            </li>
          ))}
        </ul>
      )}
      {review.status === 'pending' && (
        <div className="held__decision">
          <label className="field">
            <span>{t('compliance.noteOptional')}</span>
            <textarea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <div className="held__buttons">
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void decide('releaseReview')}>
              {t('compliance.release')}
            </button>
            <button type="button" className="button button--danger" disabled={busy} onClick={() => void decide('rejectReview')}>
              {t('compliance.reject')}
            </button>
          </div>
          <FormError message={error} />
        </div>
      )}
    </article>
  );
}
