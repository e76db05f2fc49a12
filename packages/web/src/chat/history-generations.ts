/**
 * Which fetch of a room's history still counts. Placing a room's timeline somewhere (its newest page on opening,
 * a jump to a message, back to the newest) starts a new generation; a page fetched for an earlier one would land
 * next to messages it does not join, leaving an unseen gap, so its answer is dropped.
 */
export function createHistoryGenerations() {
  const generations = new Map<string, number>();
  const still = (roomId: string, generation: number) => () => generations.get(roomId) === generation;
  return {
    /** A new placement: answers to earlier fetches of the room no longer count. Returns whether this one still does. */
    place(roomId: string): () => boolean {
      const generation = (generations.get(roomId) ?? 0) + 1;
      generations.set(roomId, generation);
      return still(roomId, generation);
    },
    /** A further page (older or newer) of the current placement. Returns whether it still counts. */
    extend(roomId: string): () => boolean {
      return still(roomId, generations.get(roomId) ?? 0);
    },
  };
}
