import type { User } from '@enclave/protocol';
import { GuestBadge } from '../protection/guest-badge';
import { Avatar } from './avatar';

/** A person as a pickable row shows them: face, display name (marked if external), @username. */
export function PersonLabel({ user }: { user: User }) {
  return (
    <>
      <Avatar user={user} size="small" />
      <span className="person-option__name">{user.displayName}</span>
      <GuestBadge user={user} />
      <span className="person-option__username">@{user.username}</span>
    </>
  );
}
