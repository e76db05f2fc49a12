import type { User } from '@enclave/protocol';

const HUES = 8;

/**
 * The person's picture when they set one; otherwise initials on a colour derived from the user id, so that one
 * person keeps one colour everywhere.
 */
export function Avatar({ user, size = 'medium' }: { user: (Pick<User, 'id' | 'displayName'> & { avatar?: string | null }) | undefined; size?: 'small' | 'medium' }) {
  if (user?.avatar) return <img className={`avatar avatar--${size} avatar--picture`} src={user.avatar} alt="" aria-hidden="true" />;
  const initials = user ? initialsOf(user.displayName) : '?';
  const hue = user ? hueOf(user.id) : 0;
  return (
    <span className={`avatar avatar--${size} avatar--hue-${hue}`} aria-hidden="true">
      {initials}
    </span>
  );
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  // Chinese names read best as their first character; Latin names as the initials of the first two words.
  const first = [...(words[0] ?? '?')][0] ?? '?';
  const second = words.length > 1 ? ([...(words[1] ?? '')][0] ?? '') : '';
  return (first + second).toUpperCase();
}

function hueOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % HUES;
}
