import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { ClusterControl } from '../src/cluster/cluster-control';
import { ClusterSeal } from '../src/cluster/cluster-seal';
import { RemotePresence, ROLL_CALL_PART_BYTES, rollCallParts, type RollCallPart } from '../src/stream/remote-presence';

type Person = RollCallPart['people'][number];

/** The most NATS takes in one message unless its operator raised `max_payload`. */
const BROKER_DEFAULT_MAX_PAYLOAD = 1024 * 1024;

function crowd(size: number, roomsEach: number): Person[] {
  return Array.from({ length: size }, () => ({ userId: randomUUID(), status: 'online' as const, rooms: Array.from({ length: roomsEach }, () => randomUUID()) }));
}

test('a node with 20,000 people connected says its roll call in parts the broker takes, and the other node hears all of them', () => {
  const people = crowd(20_000, 10);
  const parts = rollCallParts(1, people);
  assert.ok(parts.length > 1, 'more than one part');
  const seal = new ClusterSeal(Buffer.alloc(32, 7), 'node-a');
  for (const part of parts) {
    const wire = seal.seal('enclave.test.control', { kind: 'control', control: { kind: 'presence-roll-call', ...part } });
    assert.ok(Buffer.byteLength(wire) < BROKER_DEFAULT_MAX_PAYLOAD, `a part of ${Buffer.byteLength(wire)} bytes`);
    assert.ok(ClusterControl.safeParse({ kind: 'presence-roll-call', ...part }).success, 'each part passes the check on arrival');
    assert.ok(JSON.stringify(part.people).length <= ROLL_CALL_PART_BYTES + 2);
  }
  const remote = new RemotePresence(10_000);
  const heard: string[] = [];
  // Parts may come in any order; the list changes once, when the last arrives.
  for (const part of [...parts].reverse()) heard.push(...remote.rollCallPart('node-a', part, 0));
  assert.equal(heard.length, 20_000);
  assert.deepEqual(remote.statusesOf(people[12_345]!.userId), ['online']);
});

test('a round missing a part changes nothing until a complete round comes; a part seen twice counts once', () => {
  const remote = new RemotePresence(10_000);
  const [alice, bob] = crowd(2, 1) as [Person, Person];
  assert.deepEqual(remote.rollCallPart('node-a', { round: 1, part: 0, parts: 1, people: [alice, bob] }, 0).sort(), [alice.userId, bob.userId].sort());
  // Round 2 says bob left, in two parts; the second never arrives.
  assert.deepEqual(remote.rollCallPart('node-a', { round: 2, part: 0, parts: 2, people: [alice] }, 1), []);
  assert.deepEqual(remote.rollCallPart('node-a', { round: 2, part: 0, parts: 2, people: [alice] }, 2), [], 'the same part again');
  assert.deepEqual(remote.statusesOf(bob.userId), ['online'], 'bob stays as last known');
  assert.deepEqual(remote.rollCallPart('node-a', { round: 3, part: 1, parts: 2, people: [] }, 3), []);
  assert.deepEqual(remote.rollCallPart('node-a', { round: 3, part: 0, parts: 2, people: [alice] }, 4), [bob.userId]);
  assert.deepEqual(remote.statusesOf(bob.userId), []);
  assert.deepEqual(remote.rollCallPart('node-a', { round: 4, part: 2, parts: 2, people: [] }, 5), [], 'a part past the last is ignored');
});

test('a node that is heard in parts is not taken for gone, and one silent past the limit is', () => {
  const remote = new RemotePresence(10_000);
  const [alice] = crowd(1, 1) as [Person];
  remote.rollCallPart('node-a', { round: 1, part: 0, parts: 1, people: [alice] }, 0);
  remote.rollCallPart('node-a', { round: 2, part: 0, parts: 2, people: [alice] }, 25_000);
  assert.deepEqual(remote.forgetSilentNodes(40_000), [], 'heard 15 s ago');
  assert.deepEqual(remote.forgetSilentNodes(60_000), [alice.userId], 'silent for 35 s');
});
