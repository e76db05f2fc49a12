/**
 * The rooms whose name matches what was typed: names that start with it first, then names with a word that does,
 * then names that merely contain it; unread rooms before read ones within each group. Empty query: unread first.
 */
export function filterRooms<T extends { room: { unreadCount: number }; name: string }>(rooms: T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  const rank = (name: string): number => {
    const lower = name.toLowerCase();
    if (q === '' || lower.startsWith(q)) return 0;
    if (lower.split(/[\s,._-]+/).some((word) => word.startsWith(q))) return 1;
    return lower.includes(q) ? 2 : -1;
  };
  return rooms
    .map((entry) => ({ entry, rank: rank(entry.name) }))
    .filter(({ rank }) => rank >= 0)
    .sort((a, b) => a.rank - b.rank || Number(b.entry.room.unreadCount > 0) - Number(a.entry.room.unreadCount > 0) || a.entry.name.localeCompare(b.entry.name))
    .map(({ entry }) => entry);
}
