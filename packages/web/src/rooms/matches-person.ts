import type { User } from '@enclave/protocol';

/** Case-insensitive match on display name or username, for the people pickers' search boxes. */
export function matchesPerson(user: User, query: string): boolean {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle) return true;
  return user.displayName.toLocaleLowerCase().includes(needle) || user.username.includes(needle);
}
