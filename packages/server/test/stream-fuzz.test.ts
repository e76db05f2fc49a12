import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from '@enclave/protocol';
import { buildRoom, buildUser, describeEachBackend, messagesIn, openStream, type RecordedStream } from './harness';

/** mulberry32: a tiny seeded generator, so a failing run can be replayed from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [1, 7, 2026];
const STEPS = 60;

describeEachBackend('stream convergence under random sends and drops', (server) => {
  for (const seed of SEEDS) {
    test(`seed ${seed}: every client ends with exactly the messages a fresh fetch shows`, async () => {
      const random = seeded(seed);
      const people = await Promise.all([0, 1, 2, 3].map(() => buildUser(server())));
      // Two overlapping rooms: person 0 and 1 are in both, 2 only in the first, 3 only in the second.
      const rooms = [
        await buildRoom(server(), { owner: people[0]!.client, members: [people[1]!.user, people[2]!.user] }),
        await buildRoom(server(), { owner: people[1]!.client, members: [people[0]!.user, people[3]!.user] }),
      ];
      const memberOf = (person: number) => rooms.filter((_, index) => (index === 0 ? person !== 3 : person !== 2));
      const streams: RecordedStream[] = await Promise.all(people.map((p) => openStream(p.client)));
      const sends: Promise<unknown>[] = [];
      for (let step = 0; step < STEPS; step += 1) {
        const person = Math.floor(random() * people.length);
        const choice = random();
        const room = memberOf(person)[Math.floor(random() * memberOf(person).length)]!;
        if (choice < 0.15) {
          streams[person]!.stream.dropConnection();
        } else if (choice < 0.55) {
          sends.push(people[person]!.client.call('sendMessage', { params: { roomId: room.id }, body: { text: `rest ${seed}/${step}`, clientId: `s${seed}-${step}` } }));
        } else {
          sends.push(streams[person]!.stream.sendMessage({ roomId: room.id, text: `ws ${seed}/${step}`, clientId: `s${seed}-${step}` }));
        }
        if (random() < 0.3) await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 15)));
      }
      await Promise.all(sends);

      for (const [index, person] of people.entries()) {
        const expected: Message[] = [];
        for (const room of memberOf(index)) {
          const page = await person.client.call('listMessages', { params: { roomId: room.id }, query: { limit: 200 } });
          expected.push(...page.messages);
        }
        expected.sort((a, b) => a.position - b.position);
        const stream = streams[index]!;
        await stream.waitFor((events) => messagesIn(events).length >= expected.length, `person ${index} to catch up (seed ${seed})`);
        const received = messagesIn(stream.events);
        assert.deepEqual(
          received.map((m) => m.id),
          expected.map((m) => m.id),
          `person ${index} (seed ${seed}) received a different sequence`,
        );
        stream.close();
      }
    });
  }
});
