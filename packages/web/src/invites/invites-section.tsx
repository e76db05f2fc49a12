import type { CreatedInvite, Invite } from '@enclave/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useFormatTime } from '../ui/use-format-time';
import { FormError } from '../ui/form-error';
import { InviteForm } from './invite-form';
import { InviteLink } from './invite-link';
import { InviteRequestsTable } from './invite-requests-table';

/** The admin console's invites: create organisation invites, see and revoke every invite, decide approvals. */
export function InvitesSection() {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const [invites, setInvites] = useState<Invite[] | undefined>();
  const [created, setCreated] = useState<CreatedInvite | undefined>();
  const [error, setError] = useState<string | undefined>();
  const createId = useId();
  const listId = useId();

  const reload = useCallback(() => {
    api.endpoint('listInvites')().then(
      (answer) => setInvites(answer.invites),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(reload, [reload]);

  function revoke(invite: Invite) {
    setError(undefined);
    api.endpoint('revokeInvite')({ params: { inviteId: invite.id } }).then(
      (answer) => setInvites((current) => current?.map((i) => (i.id === invite.id ? answer.invite : i))),
      (failure: unknown) => setError(describeError(failure)),
    );
  }

  return (
    <>
      <section className="card" aria-labelledby={createId}>
        <h2 id={createId}>{t('invites.orgTitle')}</h2>
        <p className="muted">{t('invites.orgExplained')}</p>
        {created ? (
          <>
            <InviteLink invite={created} />
            <div className="admin-form__actions">
              <button type="button" className="button" onClick={() => setCreated(undefined)}>
                {t('invites.another')}
              </button>
            </div>
          </>
        ) : (
          <InviteForm
            onCreated={(invite) => {
              setCreated(invite);
              reload();
            }}
          />
        )}
      </section>
      <InviteRequestsTable />
      <section className="card card--wide" aria-labelledby={listId}>
        <h2 id={listId}>{t('invites.listTitle')}</h2>
        <FormError message={error} />
        {invites && invites.length === 0 && <p className="muted">{t('invites.none')}</p>}
        {invites && invites.length > 0 && (
          <div className="room-table__scroller">
            <table className="room-table" aria-labelledby={listId}>
              <thead>
                <tr>
                  <th scope="col">{t('invites.code')}</th>
                  <th scope="col">{t('invites.target')}</th>
                  <th scope="col">{t('invites.uses')}</th>
                  <th scope="col">{t('invites.expires')}</th>
                  <th scope="col">{t('invites.status')}</th>
                  <th scope="col">{t('adminRooms.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {invites.map((invite) => (
                  <tr key={invite.id}>
                    <td>
                      <code>{invite.codePrefix}…</code>
                    </td>
                    <td>{invite.room ? (invite.room.name ?? invite.room.id) : `${t('invites.organisation')} · ${t(`roles.${invite.role ?? 'member'}`)}`}</td>
                    <td>{t('invites.usesOf', { uses: invite.uses, max: invite.maxUses })}</td>
                    <td>{`${formatTime.day(invite.expiresAt)} ${formatTime.time(invite.expiresAt)}`}</td>
                    <td>{t(`invites.status_${invite.status}`)}</td>
                    <td>
                      {invite.status !== 'revoked' && (
                        <button type="button" className="button button--small" aria-label={t('invites.revokeCode', { code: invite.codePrefix })} onClick={() => revoke(invite)}>
                          {t('invites.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
