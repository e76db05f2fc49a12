import { ReviewStatus, type HeldMessage } from '@enclave/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../ui/form-error';
import { HeldMessageCard } from './held-message-card';
import { useReviewPages } from './use-review-pages';

/** The review queue: what waits for a decision first, and what was released or rejected as history. */
export function ReviewQueue() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ReviewStatus>('pending');
  const pages = useReviewPages(status);
  const [decided, setDecided] = useState<string | undefined>();
  const headingId = useId();

  function onDecided(review: HeldMessage) {
    pages.remove(review.id);
    setDecided(review.status === 'released' ? t('compliance.releasedNotice') : t('compliance.rejectedNotice'));
  }

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('compliance.reviewsTitle')}</h2>
      <p className="muted">{t('compliance.reviewsExplained')}</p>
      <div className="tabs tabs--small" role="tablist" aria-label={t('compliance.statusTabs')}>
        {ReviewStatus.options.map((option) => (
          <button
            key={option}
            type="button"
            role="tab"
            aria-selected={status === option}
            className="tabs__tab"
            onClick={() => {
              setStatus(option);
              setDecided(undefined);
            }}
          >
            {t(`compliance.status.${option}`)}
          </button>
        ))}
      </div>
      {decided && (
        <p className="notice notice--success" role="status">
          {decided}
        </p>
      )}
      <FormError message={pages.error} />
      {pages.reviews === undefined && !pages.error && <p className="muted">{t('common.loading')}</p>}
      {pages.reviews?.length === 0 && <p className="muted">{t(`compliance.empty.${status}`)}</p>}
      <ol className="held-list">
        {pages.reviews?.map((review) => (
          <li key={review.id}>
            <HeldMessageCard review={review} onDecided={onDecided} />
          </li>
        ))}
      </ol>
      {pages.hasMore && (
        <button type="button" className="button" onClick={pages.loadMore}>
          {t('console.loadMore')}
        </button>
      )}
    </section>
  );
}
