import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ClusterSeal, SEAL_WINDOW_MS } from '../src/cluster/cluster-seal';

const installationKey = randomBytes(32);
const subject = 'enclave.test.control';

/** Two nodes of one installation on a shared clock the test moves. */
function twoNodes() {
  let now = 1_800_000_000_000;
  const clock = { advance: (ms: number) => (now += ms), now: () => now };
  return { clock, sender: new ClusterSeal(installationKey, 'node-a', clock.now), receiver: new ClusterSeal(installationKey, 'node-b', clock.now) };
}

test('a message another node of the installation sealed opens once, with its sender and fields', () => {
  const { sender, receiver } = twoNodes();
  const wire = sender.seal(subject, { kind: 'control', control: { kind: 'streams-reopen', userId: 'u1' } });
  assert.deepEqual(receiver.open(subject, wire), { node: 'node-a', body: { kind: 'control', control: { kind: 'streams-reopen', userId: 'u1' } } });
  assert.deepEqual(receiver.open(subject, wire), { refused: 'replayed' }, 'the same message again');
});

test('an older message of the same sender is refused once a later one was accepted, on that subject only', () => {
  const { sender, receiver } = twoNodes();
  const first = sender.seal(subject, { kind: 'committed', position: 1 });
  const second = sender.seal(subject, { kind: 'committed', position: 2 });
  const elsewhere = sender.seal('enclave.test.log', { kind: 'committed', position: 3 });
  assert.ok('body' in receiver.open(subject, second));
  assert.deepEqual(receiver.open(subject, first), { refused: 'replayed' });
  assert.ok('body' in receiver.open('enclave.test.log', elsewhere), 'each subject keeps its own order');
});

test('unsigned, altered, moved, foreign, own and stale messages are refused', () => {
  const { clock, sender, receiver } = twoNodes();
  const body = { kind: 'control', control: { kind: 'throttle', throttle: 'sign-in', outcome: 'succeeded', account: 'alice', address: '10.0.0.9', at: 1 } };
  assert.deepEqual(receiver.open(subject, JSON.stringify({ node: 'x', ...body })), { refused: 'unsigned' });
  const wire = sender.seal(subject, body);
  assert.deepEqual(receiver.open(subject, wire.replace('alice', 'mallory')), { refused: 'forged' }, 'a changed field');
  assert.deepEqual(receiver.open('enclave.test.room', wire), { refused: 'forged' }, 'sent on another subject');
  const stranger = new ClusterSeal(randomBytes(32), 'node-x', clock.now);
  assert.deepEqual(receiver.open(subject, stranger.seal(subject, body)), { refused: 'forged' }, 'sealed with another key');
  assert.deepEqual(sender.open(subject, sender.seal(subject, body)), { refused: 'own' });
  const late = sender.seal(subject, body);
  clock.advance(SEAL_WINDOW_MS + 1);
  assert.deepEqual(receiver.open(subject, late), { refused: 'stale' }, 'captured, and replayed after the window to a node that never saw it');
  assert.ok('body' in receiver.open(subject, sender.seal(subject, body)), 'a fresh one still opens');
});

test('a sender silent past the window is forgotten, and its captured messages stay refused as stale', () => {
  const { clock, sender, receiver } = twoNodes();
  const captured = sender.seal(subject, { kind: 'committed', position: 7 });
  assert.ok('body' in receiver.open(subject, captured));
  clock.advance(3 * SEAL_WINDOW_MS);
  const other = new ClusterSeal(installationKey, 'node-c', clock.now);
  assert.ok('body' in receiver.open(subject, other.seal(subject, { kind: 'committed', position: 8 })), 'another node’s message prunes the silent one');
  assert.deepEqual(receiver.open(subject, captured), { refused: 'stale' });
});
