import type { Message } from '@enclave/protocol';
import { mergeMessages } from './merge-messages';

/** A room's or a thread's messages as the page holds them. */
export interface Timeline {
  /** Confirmed messages, oldest first. */
  messages: Message[];
  /** Whether older messages exist on the server than the first one here. */
  hasMore: boolean;
  /** False until the newest page has arrived; live messages may already be in `messages`. */
  loaded: boolean;
  /**
   * Only while the timeline shows a stretch of the past that stops short of the newest message (a search result
   * opened in context): the messages that arrived live meanwhile, held back until newer pages close the gap.
   */
  heldLive?: Message[];
}

/** A page of a room's history as the server returns it: around or after a message, or the newest page (then `hasNewer` is false). */
export interface WindowPage {
  newestFirst: Message[];
  /** Older messages exist beyond the page. */
  hasMore: boolean;
  /** Newer messages exist beyond the page. */
  hasNewer: boolean;
  /**
   * The page starts right after the newest message shown (asked for with `after`), so it continues the stretch
   * though it has no message in common with it.
   */
  follows?: boolean;
}

/**
 * Puts a page fetched around a message (a jump to a search result), after one (the next newer page) or the newest page into
 * a room's timeline. A page that overlaps what is shown joins it, since together they are still one unbroken
 * stretch; a page elsewhere in the room replaces it, because a gap inside a timeline would not show. While the
 * stretch stops short of the newest message, messages arriving live wait in `heldLive`; once a page reaches the
 * newest message they follow on, so nothing that arrived meanwhile is lost.
 */
export function placeWindow(current: Timeline | undefined, page: WindowPage): Timeline {
  const incoming = [...page.newestFirst].reverse();
  const shown = current?.messages ?? [];
  const held = current?.heldLive;
  const shownIds = new Set(shown.map((message) => message.id));
  const joins = page.follows === true || incoming.some((message) => shownIds.has(message.id));
  const stretch = joins
    ? {
        messages: mergeMessages(shown, incoming),
        // Each end of the joined stretch keeps what is known beyond it; an empty page after it says what is newer.
        hasMore: oldest(incoming) <= oldest(shown) ? page.hasMore : (current?.hasMore ?? page.hasMore),
        hasNewer: incoming.length === 0 || newest(incoming) >= newest(shown) ? page.hasNewer : held !== undefined,
      }
    : {
        // Shown messages newer than a page that reaches the newest arrived live while it was fetched.
        messages: page.hasNewer ? incoming : mergeMessages(incoming, shown.filter((message) => message.position > newest(incoming))),
        hasMore: page.hasMore,
        hasNewer: page.hasNewer,
      };
  if (stretch.hasNewer) return { messages: stretch.messages, hasMore: stretch.hasMore, loaded: true, heldLive: held ?? [] };
  const start = oldest(stretch.messages);
  return { messages: mergeMessages(stretch.messages, (held ?? []).filter((message) => message.position > start)), hasMore: stretch.hasMore, loaded: true };
}

/** A live message for a room's timeline: appended, or held back while the timeline shows a stretch of the past. */
export function addLive(timeline: Timeline, message: Message): Timeline {
  if (timeline.heldLive) return { ...timeline, heldLive: mergeMessages(timeline.heldLive, [message]) };
  return { ...timeline, messages: mergeMessages(timeline.messages, [message]) };
}

function oldest(messages: Message[]): number {
  return messages[0]?.position ?? Number.POSITIVE_INFINITY;
}

function newest(messages: Message[]): number {
  return messages.at(-1)?.position ?? Number.NEGATIVE_INFINITY;
}
