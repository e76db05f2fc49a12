import { formatTraceCode, TRACE_CODE_LENGTH, type TraceIssue, type TraceResolution } from '@enclave/protocol';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';
import { GuestBadge } from '../protection/guest-badge';
import { useFormatTime } from '../ui/use-format-time';

/**
 * One code found in a leak: for a resolved code who it was issued to, for what, where and when (a corrected one also
 * says what was read and that the investigator confirms it); for an unknown or misread one, plainly that it names
 * nobody and what to check, so a wrong reading never points at a person without saying so.
 */
export function TraceResultCard({ result }: { result: TraceResolution }) {
  const { t } = useTranslation();
  const headingId = useId();
  // A misread code is shown as read, which may not have the nine symbols the grouping assumes.
  const shown = (symbols: string) => (symbols.length === TRACE_CODE_LENGTH ? formatTraceCode(symbols) : symbols);
  const code = shown(result.code);
  return (
    <article className={`held trace-result trace-result--${result.status}`} aria-labelledby={headingId}>
      <header className="held__header">
        <h4 id={headingId}>
          <code className="trace-result__code">{code}</code>
        </h4>
        <span className="trace-result__status">{t(`compliance.trace.statuses.${result.status}`)}</span>
      </header>
      {result.readAs !== undefined && <p className="trace-result__advice">{t('compliance.trace.correctedFrom', { readAs: shown(result.readAs) })}</p>}
      {result.issue ? <IssueFacts issue={result.issue} source={result.source} /> : <p className="trace-result__advice">{t(result.status === 'misread' ? 'compliance.trace.misread' : 'compliance.trace.unknown')}</p>}
    </article>
  );
}

function IssueFacts({ issue, source }: { issue: TraceIssue; source: TraceResolution['source'] }) {
  const { t } = useTranslation();
  const people = usePeople();
  const time = useFormatTime();
  return (
    <dl className="held__facts">
      <dt>{t('compliance.trace.viewer')}</dt>
      <dd>
        {issue.viewer.displayName} <GuestBadge user={people.byId.get(issue.viewer.id)} /> <span className="muted">@{issue.viewer.username}</span>
      </dd>
      <dt>{t('compliance.trace.viewed')}</dt>
      <dd>{t(`compliance.trace.kinds.${issue.kind}`)}</dd>
      <dt>{t('compliance.room')}</dt>
      <dd>{issue.roomName ?? <span className="muted">{t('compliance.copyChain.deletedRoom')}</span>}</dd>
      <dt>{t('compliance.at')}</dt>
      <dd>
        <time dateTime={issue.issuedAt}>{time.full(issue.issuedAt)}</time>
      </dd>
      <dt>{t('compliance.trace.foundAs')}</dt>
      <dd>{t(`compliance.trace.sources.${source}`)}</dd>
    </dl>
  );
}
