import type { Role, SecurityEvent } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { formatDateTime } from './time-zone';

/**
 * My security log: what was done to my account and by whom (a password an administrator set, sessions they ended,
 * a role changed, two-factor reset) and my sign-ins, newest first. Nothing an admin does to an account is hidden
 * from its owner.
 */
export function SecurityLogPanel() {
  const { t } = useTranslation();
  const [events, setEvents] = useState<SecurityEvent[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.endpoint('mySecurityLog')().then(({ events }) => setEvents(events), (failure: unknown) => setError(describeError(failure)));
  }, []);

  return (
    <section aria-label={t('securityLog.title')}>
      <p className="muted">{t('securityLog.explained')}</p>
      <FormError message={error} />
      {events === undefined && !error && <p className="muted">{t('common.loading')}</p>}
      {events?.length === 0 && <p className="muted">{t('securityLog.empty')}</p>}
      <ul className="devices">
        {events?.map((event) => (
          <li key={event.id} className="devices__item">
            <div>
              <div className="devices__agent">
                <EventText event={event} />
              </div>
              <div className="muted">
                {formatDateTime(event.at, { dateStyle: 'medium', timeStyle: 'short' })}
                {event.ip ? ` · ${event.ip}` : ''}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One event in words: what happened, and who did it when it was not the owner. */
function EventText({ event }: { event: SecurityEvent }) {
  const { t } = useTranslation();
  const by: string = event.actor ? `${event.actor.displayName} (@${event.actor.username})` : t('securityLog.system');
  const sessions: string = event.sessionsEnded ? ` ${t('securityLog.sessionsEnded', { count: event.sessionsEnded })}` : '';
  const approvedBy: string = event.approvedBy ? ` ${t('securityLog.approvedBy', { who: `${event.approvedBy.displayName} (@${event.approvedBy.username})` })}` : '';
  // One literal key per kind: a key built from a union, with values to fill in, costs the type checker too much.
  const texts: Record<SecurityEvent['kind'], () => string> = {
    'sign-in': () => t('securityLog.kind.sign-in'),
    'password-changed': () => t('securityLog.kind.password-changed'),
    'password-reset-by-admin': () => t('securityLog.kind.password-reset-by-admin', { by }),
    'role-changed': () => t('securityLog.kind.role-changed', { by, from: roleName(event.role?.from), to: roleName(event.role?.to) }),
    'two-factor-reset': () => t('securityLog.kind.two-factor-reset', { by }),
    'account-disabled': () => t('securityLog.kind.account-disabled', { by }),
    'account-enabled': () => t('securityLog.kind.account-enabled', { by }),
  };
  function roleName(role: Role | undefined): string {
    return role ? t(`roles.${role}`) : '';
  }
  return (
    <>
      {texts[event.kind]()}
      {approvedBy}
      {sessions}
    </>
  );
}
