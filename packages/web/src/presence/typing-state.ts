/** How long a typing event keeps someone shown as typing; the sender repeats it every few seconds while typing. */
export const TYPING_SHOWN_MS = 6000;

/** Who is typing where: `roomId` or `roomId/threadRootId`, then user id → when the entry runs out (ms). */
export type TypingState = Readonly<Record<string, Readonly<Record<string, number>>>>;

export function typingPlace(roomId: string, threadRootId: string | null | undefined): string {
  return threadRootId ? `${roomId}/${threadRootId}` : roomId;
}

export function startTyping(state: TypingState, place: string, userId: string, now: number): TypingState {
  return { ...state, [place]: { ...state[place], [userId]: now + TYPING_SHOWN_MS } };
}

/** Their message arrived: they are no longer typing it. */
export function stopTyping(state: TypingState, place: string, userId: string): TypingState {
  const typists = state[place];
  if (!typists || !(userId in typists)) return state;
  const { [userId]: _gone, ...rest } = typists;
  return { ...state, [place]: rest };
}

/** Drops the entries that ran out; returns the same object when nothing did, so React can skip a render. */
export function expireTyping(state: TypingState, now: number): TypingState {
  let changed = false;
  const next: Record<string, Record<string, number>> = {};
  for (const [place, typists] of Object.entries(state)) {
    const live = Object.entries(typists).filter(([, until]) => until > now);
    if (live.length !== Object.keys(typists).length) changed = true;
    if (live.length > 0) next[place] = Object.fromEntries(live);
    else if (Object.keys(typists).length > 0) changed = true;
  }
  return changed ? next : state;
}

/** The people typing in one place, other than me, in the order they started. */
export function typistsIn(state: TypingState, place: string, myId: string, now: number): string[] {
  return Object.entries(state[place] ?? {})
    .filter(([userId, until]) => userId !== myId && until > now)
    .map(([userId]) => userId);
}

/** What the typing line says, as a translation key and its values; undefined when nobody types. */
export function typingMessage(names: string[]):
  | { key: 'typing.one'; values: { name: string } }
  | { key: 'typing.two'; values: { first: string; second: string } }
  | { key: 'typing.several'; values: Record<string, never> }
  | undefined {
  const [first, second] = names;
  if (first === undefined) return undefined;
  if (second === undefined) return { key: 'typing.one', values: { name: first } };
  if (names.length === 2) return { key: 'typing.two', values: { first, second } };
  return { key: 'typing.several', values: {} };
}
