/**
 * The last few messages each sender sent in each room, briefly, so a number split over consecutive messages
 * ("身份证 110105 1949" then "1231 002X") is found in their concatenation. Only the ends of the messages are kept
 * (a split number needs no more), for a short time, with a bound on how many senders and rooms are remembered,
 * so the memory stays small whatever is sent. Held in this process: on a cluster, messages of one sender that land
 * on different nodes are not joined.
 */
export class RecentTexts {
  private readonly bySenderAndRoom = new Map<string, Remembered[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The ends of the sender's recent messages in the room, oldest first, joined by a space; '' when there are none. */
  earlier(senderId: string, roomId: string): string {
    const since = this.now() - RECENT_MS;
    const texts = (this.bySenderAndRoom.get(keyOf(senderId, roomId)) ?? []).filter((remembered) => remembered.at >= since);
    return texts.map((remembered) => remembered.tail).join(' ');
  }

  remember(senderId: string, roomId: string, text: string): void {
    const key = keyOf(senderId, roomId);
    const since = this.now() - RECENT_MS;
    const kept = (this.bySenderAndRoom.get(key) ?? []).filter((remembered) => remembered.at >= since).slice(1 - MESSAGES_KEPT);
    kept.push({ tail: text.slice(-TAIL_CHARS), at: this.now() });
    // Deleting first moves the key to the end, so the first key is always the one left alone longest.
    this.bySenderAndRoom.delete(key);
    this.bySenderAndRoom.set(key, kept);
    if (this.bySenderAndRoom.size > SENDERS_AND_ROOMS_KEPT) this.bySenderAndRoom.delete(this.bySenderAndRoom.keys().next().value!);
  }
}

interface Remembered {
  tail: string;
  at: number;
}

/** How long a message can be joined with the next: a person splitting a number sends the parts in quick turn. */
export const RECENT_MS = 2 * 60_000;
/** Messages before the current one that are joined with it. */
const MESSAGES_KEPT = 3;
/** An identity number with a separator after every digit is under 72 characters. */
const TAIL_CHARS = 100;
const SENDERS_AND_ROOMS_KEPT = 20_000;

function keyOf(senderId: string, roomId: string): string {
  return `${senderId} ${roomId}`;
}
