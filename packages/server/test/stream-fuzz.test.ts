import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoggedEvent, Message } from '@enclave/protocol';
import { describeEachBackend, messagesIn, openStream, type RecordedStream } from './harness';
import { buildRoom, buildUser, seededRandom } from '@enclave/testkit';

// Seed 7 found two PostgreSQL races, now fixed: concurrent edits claiming the same version number, and a
// reaction summary read before a concurrent reaction committed (events now read state under the log lock).
const SEEDS = [1, 7, 2026];

/** What a person sees of a message: the parts edits and reactions change. */
function visibleState(message: Message) {
  return { id: message.id, text: message.text, editedAt: message.editedAt, reactions: message.reactions };
}

/** Replays a client's events into the messages it would show, oldest first. */
function foldState(events: LoggedEvent[]) {
  const messages = new Map<string, Message>();
  for (const event of events) {
    if (event.type === 'message.created' || event.type === 'message.updated') messages.set(event.message.id, event.message);
    if (event.type === 'reactions.changed') {
      const message = messages.get(event.messageId);
      if (message) messages.set(message.id, { ...message, reactions: event.reactions });
    }
  }
  return [...messages.values()].sort((a, b) => a.position - b.position).map(visibleState);
}
const STEPS = 60;

describeEachBackend('stream convergence under random sends and drops', (server) => {
  for (const seed of SEEDS) {
    test(`seed ${seed}: every client ends with exactly the messages a fresh fetch shows`, async (t) => {
      const random = seededRandom(seed);
      const people = await Promise.all([0, 1, 2, 3].map(() => buildUser(server())));
      // Two overlapping rooms: person 0 and 1 are in both, 2 only in the first, 3 only in the second.
      const rooms = [
        await buildRoom(server(), { owner: people[0]!.client, members: [people[1]!.user, people[2]!.user] }),
        await buildRoom(server(), { owner: people[1]!.client, members: [people[0]!.user, people[3]!.user] }),
      ];
      const memberOf = (person: number) => rooms.filter((_, index) => (index === 0 ? person !== 3 : person !== 2));
      const streams: RecordedStream[] = await Promise.all(people.map((p) => openStream(p.client)));
      // Open streams keep reconnecting, so they are closed whatever happens.
      t.after(() => {
        for (const stream of streams) stream.close();
      });
      const stored: Message[] = [];
      const pending: Promise<unknown>[] = [];
      const remember = (promise: Promise<Message>) => pending.push(promise.then((message) => stored.push(message)));
      for (let step = 0; step < STEPS; step += 1) {
        const person = Math.floor(random() * people.length);
        const choice = random();
        const rooms = memberOf(person);
        const room = rooms[Math.floor(random() * rooms.length)]!;
        const client = people[person]!.client;
        const visible = stored.filter((m) => rooms.some((r) => r.id === m.roomId));
        const target = visible[Math.floor(random() * visible.length)];
        const mine = visible.filter((m) => m.senderId === people[person]!.user.id);
        if (choice < 0.12) {
          streams[person]!.stream.dropConnection();
        } else if (choice < 0.22 && mine.length > 0) {
          const message = mine[Math.floor(random() * mine.length)]!;
          pending.push(client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: `edited ${seed}/${step}` } }));
        } else if (choice < 0.35 && target) {
          const emoji = ['👍', '🎉', '👀'][Math.floor(random() * 3)]!;
          const call = random() < 0.7 ? 'addReaction' : 'removeReaction';
          pending.push(client.endpoint(call)({ params: { messageId: target.id, emoji } }));
        } else if (choice < 0.65) {
          remember(client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `rest ${seed}/${step}`, clientId: `s${seed}-${step}` } }).then((r) => r.message));
        } else {
          remember(streams[person]!.stream.sendMessage({ roomId: room.id, text: `ws ${seed}/${step}`, clientId: `s${seed}-${step}` }));
        }
        if (random() < 0.3) await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 15)));
      }
      await Promise.all(pending);
      // A last message in each room: the stream delivers in position order, so seeing it means seeing all before it.
      const markers = [
        (await people[0]!.client.endpoint('sendMessage')({ params: { roomId: rooms[0]!.id }, body: { text: 'marker' } })).message,
        (await people[1]!.client.endpoint('sendMessage')({ params: { roomId: rooms[1]!.id }, body: { text: 'marker' } })).message,
      ];

      for (const [index, person] of people.entries()) {
        const expected: Message[] = [];
        for (const room of memberOf(index)) {
          const page = await person.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 200 } });
          expected.push(...page.messages);
        }
        expected.sort((a, b) => a.position - b.position);
        const stream = streams[index]!;
        const mustSee = markers.filter((marker) => memberOf(index).some((room) => room.id === marker.roomId)).map((m) => m.id);
        await stream.waitFor((events) => mustSee.every((id) => messagesIn(events).some((m) => m.id === id)), `person ${index} to catch up (seed ${seed})`);
        const received = messagesIn(stream.events);
        assert.deepEqual(
          received.map((m) => m.id),
          expected.map((m) => m.id),
          `person ${index} (seed ${seed}) received a different sequence`,
        );
        assert.deepEqual(foldState(stream.events), expected.map(visibleState), `person ${index} (seed ${seed}) ended with a different state`);
      }
    });
  }
});
