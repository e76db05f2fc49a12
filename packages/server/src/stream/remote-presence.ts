import type { PresenceStatus } from '@enclave/protocol';

/** One person as a node sees them: their status there and the rooms of their connections there. */
export interface PresenceAnnouncement {
  userId: string;
  status: PresenceStatus;
  rooms: readonly string[];
}

/** Nodes tell their whole list this often, unless built with another interval (a test's, to see a node go quickly). */
export const PRESENCE_ROLL_CALL_MS = 10_000;
/**
 * A node that has not told its people for this many roll calls is taken for gone (it died, or lost the broker), and
 * its people count as offline here: three, so that one or two roll calls lost on the way do not flap anyone.
 */
const ROLL_CALLS_MISSED_WHEN_GONE = 3;

/**
 * The most a part of a roll call may weigh, as JSON. A broker takes messages up to 1 MB by default (NATS
 * `max_payload`), and a node with tens of thousands of people connected says more than that, so the list goes in
 * parts well under the limit, with room for the signature and envelope.
 */
export const ROLL_CALL_PART_BYTES = 256 * 1024;

/** One part of a node's roll call: which round, which part of how many, and its people. */
export interface RollCallPart {
  round: number;
  part: number;
  parts: number;
  people: { userId: string; status: PresenceStatus; rooms: string[] }[];
}

/** A node's whole list cut into parts of at most ROLL_CALL_PART_BYTES each (one part, maybe empty, at least). */
export function rollCallParts(round: number, people: readonly PresenceAnnouncement[]): RollCallPart[] {
  const groups: RollCallPart['people'][] = [[]];
  let bytes = 0;
  for (const person of people) {
    const copy = { ...person, rooms: [...person.rooms] };
    const size = JSON.stringify(copy).length + 1;
    if (bytes + size > ROLL_CALL_PART_BYTES && groups.at(-1)!.length > 0) {
      groups.push([]);
      bytes = 0;
    }
    groups.at(-1)!.push(copy);
    bytes += size;
  }
  return groups.map((group, index) => ({ round, part: index, parts: groups.length, people: group }));
}

/**
 * Who is connected to the other nodes, as they said: every change at once, and the whole list at each roll call,
 * which also shows which nodes are still there. Kept apart from this node's own connections (presence.ts), which
 * it only adds to.
 */
export class RemotePresence {
  private readonly goneAfterMs: number;
  private readonly nodes = new Map<string, { heardAt: number; people: Map<string, PresenceAnnouncement>; gathering?: { round: number; parts: Set<number>; people: PresenceAnnouncement[] } }>();

  constructor(rollCallMs: number) {
    this.goneAfterMs = ROLL_CALLS_MISSED_WHEN_GONE * rollCallMs;
  }

  /** The statuses the person has on other nodes. */
  statusesOf(userId: string): PresenceStatus[] {
    return [...this.nodes.values()].flatMap((node) => node.people.get(userId)?.status ?? []);
  }

  /** Whether the person has a connection on another node in one of these rooms (a guest's view). */
  inAnyOf(userId: string, rooms: ReadonlySet<string>): boolean {
    return [...this.nodes.values()].some((node) => node.people.get(userId)?.rooms.some((roomId) => rooms.has(roomId)) ?? false);
  }

  /** One person changed on a node. */
  change(node: string, person: PresenceAnnouncement, now: number): void {
    const entry = this.entry(node, now);
    if (person.status === 'offline') entry.people.delete(person.userId);
    else entry.people.set(person.userId, person);
  }

  /**
   * A part of a node's roll call. The node's list is replaced once every part of a round has come; a round missing
   * a part (the broker dropped it) is left for the next. Any part shows the node is there. Answers the people whose
   * entry came, went or changed.
   */
  rollCallPart(node: string, part: RollCallPart, now: number): string[] {
    const entry = this.entry(node, now);
    if (part.part >= part.parts) return [];
    if (entry.gathering?.round !== part.round) entry.gathering = { round: part.round, parts: new Set(), people: [] };
    const gathering = entry.gathering;
    if (gathering.parts.has(part.part)) return [];
    gathering.parts.add(part.part);
    gathering.people.push(...part.people);
    if (gathering.parts.size < part.parts) return [];
    entry.gathering = undefined;
    const before = entry.people;
    entry.people = new Map(gathering.people.filter((person) => person.status !== 'offline').map((person) => [person.userId, person]));
    return [...new Set([...before.keys(), ...entry.people.keys()])].filter((userId) => before.get(userId)?.status !== entry.people.get(userId)?.status);
  }

  /** Forgets nodes not heard from for ROLL_CALLS_MISSED_WHEN_GONE roll calls; answers their people. */
  forgetSilentNodes(now: number): string[] {
    const gone: string[] = [];
    for (const [node, entry] of this.nodes) {
      if (now - entry.heardAt < this.goneAfterMs) continue;
      this.nodes.delete(node);
      gone.push(...entry.people.keys());
    }
    return gone;
  }

  private entry(node: string, now: number) {
    let entry = this.nodes.get(node);
    if (!entry) this.nodes.set(node, (entry = { heardAt: now, people: new Map() }));
    entry.heardAt = now;
    return entry;
  }
}
