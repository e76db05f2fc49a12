import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointInput, Room } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { buildRoomOfTwo, buildUser } from '@enclave/testkit';
import { CARD, EVASIONS, KEYWORDS, MOBILE, RESIDENT_ID } from './dlp-corpus/evasions';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';
import { clientFrame, opcodes, openRawStream } from './raw-websocket';


/** The share of the corpus that must be refused. */
const REQUIRED_CAUGHT = 0.95;

describeEachBackend('DLP against a modified client that disguises what it sends', (server) => {
  /**
   * Rooms of Alice and Bob with rules that block every built-in and the corpus's keywords, in those rooms only. The
   * rooms come first and the rules once for all of them: each rule change makes the server compile its rules anew.
   */
  async function guardedRooms(count: number) {
    // Cleared and roomed for Secret: a marking raises a message's label (the seeded label rules), and in a lower
    // room the ceiling would refuse it before DLP is asked. Here DLP must be what catches it.
    const alice = await buildUser(server(), { clearance: 'secret' });
    const bob = await buildUser(server(), { clearance: 'secret' });
    const rooms: Room[] = [];
    for (let i = 0; i < count; i += 1) {
      const body = { kind: 'group' as const, name: `evasions-${i}`, memberIds: [bob.user.id], ceiling: 'secret' };
      rooms.push((await alice.client.endpoint('createRoom')({ body })).room);
    }
    const scope = { roomIds: rooms.map((room) => room.id) };
    const detectors: EndpointInput<'createDlpRule'>['body']['detector'][] = [
      ...(['prc-id', 'bank-card', 'cn-mobile', 'email', 'marking'] as const).map((id) => ({ kind: 'builtin' as const, id })),
      { kind: 'keywords', words: KEYWORDS },
    ];
    for (const [index, detector] of detectors.entries()) {
      await server().admin.client.endpoint('createDlpRule')({ body: { name: `Block ${index}`, detector, scope, action: 'block' } });
    }
    return { alice, bob, rooms };
  }

  async function guardedRoom() {
    const { alice, bob, rooms } = await guardedRooms(1);
    return { alice, bob, room: rooms[0]! };
  }

  test('the evasion corpus sent over REST is refused at least 95 % of the time, and nothing refused reaches the other member', async () => {
    let caught = 0;
    const missed: string[] = [];
    // A room per variant, so the parts of a split variant are joined with each other and nothing else.
    const { alice, bob, rooms } = await guardedRooms(EVASIONS.length);
    for (const [index, evasion] of EVASIONS.entries()) {
      const room = rooms[index]!;
      const delivered: string[] = [];
      let refused = false;
      for (const part of evasion.parts) {
        try {
          await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: part } });
          delivered.push(part);
        } catch (error) {
          assert.ok(error instanceof EnclaveApiError && error.code === 'DLP_BLOCKED', `${evasion.name}: ${String(error)}`);
          refused = true;
          break;
        }
      }
      if (refused) caught += 1;
      else missed.push(evasion.name);
      const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
      assert.deepEqual(history.messages.map((message) => message.text).sort(), delivered.sort(), `${evasion.name}: only what was not refused is stored`);
    }
    const ratio = caught / EVASIONS.length;
    console.log(`DLP evasion corpus: caught ${caught} of ${EVASIONS.length} (${(ratio * 100).toFixed(1)} %)${missed.length > 0 ? `; missed: ${missed.join('; ')}` : ''}`);
    assert.ok(EVASIONS.length >= 100, 'the corpus has at least 100 variants');
    assert.ok(ratio >= REQUIRED_CAUGHT, `caught ${caught} of ${EVASIONS.length}`);
  });

  test('an edit that disguises a marking or a number is refused and the stored text stays as it was', async () => {
    const { alice, bob, room } = await guardedRoom();
    const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'draft agenda' } });
    for (const text of ['絕\u200B密 agenda', `ID ${RESIDENT_ID.slice(0, 6)}-${RESIDENT_ID.slice(6, 14)}.${RESIDENT_ID.slice(14)}`, 'Ｔｏｐ　Ｓｅｃｒｅｔ']) {
      await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: sent.message.id }, body: { text } }), 'DLP_BLOCKED', 403);
    }
    const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    assert.deepEqual(history.messages.map((message) => message.text), ['draft agenda']);
  });

  test('a thread reply with a disguised card number is refused, and so is its copy to the room', async () => {
    const { alice, bob, room } = await guardedRoom();
    const root = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'payment details?' } });
    const disguised = CARD.replace(/(\d{4})(?=\d)/g, '$1/');
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: disguised, threadRootId: root.message.id } }), 'DLP_BLOCKED', 403);
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `機密 ${disguised}`, threadRootId: root.message.id, alsoSendToRoom: true } }), 'DLP_BLOCKED', 403);
    const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    assert.deepEqual(history.messages.map((message) => message.text), ['payment details?']);
  });

  test('a stream frame with a disguised mobile number gets DLP_BLOCKED and is delivered to nobody', async () => {
    const { alice, bob, room } = await guardedRoom();
    const raw = openRawStream(server().url, { token: alice.client.currentToken });
    await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'synced'), 'the stream to be live');
    const text = `call me: ${[...MOBILE].join('\u200B')}`;
    raw.send(clientFrame(opcodes.text, JSON.stringify({ type: 'message.send', roomId: room.id, text, clientId: 'evasion-1' })));
    await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'error' && frame.clientId === 'evasion-1'), 'the refusal');
    const refusal = raw.frames.find((frame) => frame.type === 'error' && frame.clientId === 'evasion-1');
    assert.equal(refusal?.type === 'error' && refusal.error.code, 'DLP_BLOCKED');
    raw.end();
    const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    assert.deepEqual(history.messages, []);
  });

  test('a number split over two sends is refused on the second, which a redact rule masks instead', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    await server().admin.client.endpoint('createDlpRule')({ body: { name: 'Mask IDs', detector: { kind: 'builtin', id: 'prc-id' }, scope: { roomIds: [room.id] }, action: 'redact' } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '身份证前半 110105 1949' } });
    const second = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '1231 002X 后半' } });
    assert.equal(second.message.text, '████ 后半');
    // Another sender's message is not joined with Alice's.
    await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '110105 1949' } });
    const third = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '1231 002X' } });
    assert.equal(third.message.text, '1231 002X', 'the halves of different senders are not joined');
    const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    assert.ok(!history.messages.some((message) => message.text.includes('1231 002X 后半')));
  });
});

test('the corpus names each variant once and includes numbers split over messages', () => {
  assert.ok(EVASIONS.some((evasion) => evasion.parts.length > 1));
  assert.equal(new Set(EVASIONS.map((evasion) => evasion.name)).size, EVASIONS.length, 'names are unique');
});
