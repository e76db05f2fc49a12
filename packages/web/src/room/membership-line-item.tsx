import type { MembershipLine } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';

/**
 * A quiet centred line in the room's timeline saying who came or went ("Li Wei joined · invited by Wang Fang"),
 * named as senders are; it is not a message, so it has no actions and counts as nothing unread.
 */
export function MembershipLineItem({ line }: { line: MembershipLine }) {
  const { t, i18n } = useTranslation();
  const people = usePeople();
  const name = (id: string) => people.byId.get(id)?.displayName ?? t('common.someone');
  const list = new Intl.ListFormat(i18n.language, { style: 'long', type: 'conjunction' });
  const names = list.format(line.userIds.map(name));
  const actor = name(line.actorId);
  const inviter = name(line.invitedBy ?? line.actorId);
  const approver = name(line.approvedBy ?? line.actorId);
  const ownInvite = line.userIds.length === 1 && line.userIds[0] === line.invitedBy;
  const text = {
    created: () => (line.userIds.length === 0 ? t('membershipLines.createdAlone', { actor }) : t('membershipLines.created', { actor, names })),
    joined: () => (line.invitedBy === undefined ? t('membershipLines.joined', { actor }) : t('membershipLines.joinedByInvite', { actor, inviter })),
    added: () => t('membershipLines.added', { actor, names }),
    admitted: () => (ownInvite ? t('membershipLines.admittedOwnInvite', { names, approver }) : t('membershipLines.admitted', { names, inviter, approver })),
    left: () => t('membershipLines.left', { actor }),
    removed: () => t('membershipLines.removed', { actor, names }),
  }[line.kind]();
  return (
    <p className="membership-line" data-kind={line.kind}>
      {text}
    </p>
  );
}
