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
  const text = t(lineKey(line), { actor, names, inviter, approver });
  return (
    <p className="membership-line" data-kind={line.kind}>
      {text}
    </p>
  );
}

/** Which sentence tells the line: one key per kind, and per variant where the kind has two. */
function lineKey(line: MembershipLine) {
  switch (line.kind) {
    case 'created':
      return line.userIds.length === 0 ? 'membershipLines.createdAlone' : 'membershipLines.created';
    case 'joined':
      return line.invitedBy === undefined ? 'membershipLines.joined' : 'membershipLines.joinedByInvite';
    case 'added':
      return 'membershipLines.added';
    case 'admitted':
      return line.userIds.length === 1 && line.userIds[0] === line.invitedBy ? 'membershipLines.admittedOwnInvite' : 'membershipLines.admitted';
    case 'left':
      return 'membershipLines.left';
    case 'removed':
      return 'membershipLines.removed';
  }
}
