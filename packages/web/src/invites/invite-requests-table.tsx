import type { InviteRequest } from '@enclave/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { useFormatTime } from '../ui/use-format-time';

/** Acceptances of invites that require approval: an administrator lets each person in, or not. */
export function InviteRequestsTable() {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const [requests, setRequests] = useState<InviteRequest[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();

  const reload = useCallback(() => {
    api.endpoint('listInviteRequests')().then(
      (answer) => setRequests(answer.requests),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(reload, [reload]);

  function decide(request: InviteRequest, decision: 'approveInviteRequest' | 'rejectInviteRequest') {
    setError(undefined);
    api.endpoint(decision)({ params: { requestId: request.id } }).then(
      () => setRequests((current) => current?.filter((r) => r.id !== request.id)),
      (failure: unknown) => setError(describeError(failure)),
    );
  }

  return (
    <section className="card card--wide" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('invites.requestsTitle')}</h2>
      <FormError message={error} />
      {requests && requests.length === 0 && <p className="muted">{t('invites.noRequests')}</p>}
      {requests && requests.length > 0 && (
        <div className="room-table__scroller">
          <table className="room-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{t('invites.person')}</th>
                <th scope="col">{t('invites.target')}</th>
                <th scope="col">{t('invites.requestedAt')}</th>
                <th scope="col">{t('adminRooms.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((request) => (
                <tr key={request.id}>
                  <td>
                    {request.displayName} <span className="muted">@{request.username}</span>
                  </td>
                  <td>{request.room ? (request.room.name ?? request.room.id) : t('invites.organisation')}</td>
                  <td>{`${formatTime.day(request.requestedAt)} ${formatTime.time(request.requestedAt)}`}</td>
                  <td className="room-table__actions">
                    <button type="button" className="button button--small button--primary" aria-label={t('invites.approveFor', { name: request.displayName })} onClick={() => decide(request, 'approveInviteRequest')}>
                      {t('invites.approve')}
                    </button>
                    <button type="button" className="button button--small" aria-label={t('invites.rejectFor', { name: request.displayName })} onClick={() => decide(request, 'rejectInviteRequest')}>
                      {t('invites.reject')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
