import type { User } from '@enclave/protocol';
import { Avatar } from './avatar';

/** A person as a pickable row shows them: face, display name, @username. */
export function PersonLabel({ user }: { user: User }) {
  return (
    <>
      <Avatar user={user} size="small" />
      <span className="person-option__name">{user.displayName}</span>
      <span className="person-option__username">@{user.username}</span>
    </>
  );
}
