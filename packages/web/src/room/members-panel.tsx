import type { RoomMember } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { usePeople } from '../people/people-context';
import { GuestBadge } from '../protection/guest-badge';
import { Avatar } from '../ui/avatar';
import { FormError } from '../ui/form-error';
import { SidePanel } from './side-panel';

/**
 * Who is in the room, owners first, each guest marked "External" from the member list's own flag, so a partner is
 * recognised even when the people directory does not know them. Fetched again when the member count changes.
 */
export function MembersPanel({ roomId, memberCount, onClose }: { roomId: string; memberCount: number; onClose: () => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const [members, setMembers] = useState<RoomMember[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let current = true;
    api.endpoint('listMembers')({ params: { roomId } }).then(
      (answer) => current && setMembers([...answer.members].sort((a, b) => Number(b.role === 'owner') - Number(a.role === 'owner'))),
      (failure: unknown) => current && setError(describeError(failure)),
    );
    return () => {
      current = false;
    };
  }, [roomId, memberCount]);
  return (
    <SidePanel title={t('members.title', { count: memberCount })} closeLabel={t('members.close')} onClose={onClose}>
      <FormError message={error} />
      <ul className="side-panel__list members-panel" aria-label={t('members.listLabel')}>
        {members?.map((member) => {
          const person = people.byId.get(member.userId);
          return (
            <li key={member.userId} className="person-option">
              <Avatar user={person} size="small" />
              <span className="person-option__name">{person?.displayName ?? t('common.someone')}</span>
              <GuestBadge user={member} />
              {person && <span className="person-option__username">@{person.username}</span>}
              {member.role === 'owner' && <span className="muted members-panel__role">{t('members.owner')}</span>}
            </li>
          );
        })}
      </ul>
    </SidePanel>
  );
}
