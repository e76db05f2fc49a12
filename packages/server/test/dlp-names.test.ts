import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DlpRule } from '@enclave/protocol';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';

/** A valid PRC identity number and a Luhn-valid UnionPay card number, so the built-in detectors match them. */
const PRC_ID = '110101199003078515';
const CARD = '622202123456789012';

describeEachBackend('DLP on names: room names, topics, group names and display names', (server) => {
  const admin = () => server().admin.client;
  const addRule = async (name: string, detector: DlpRule['detector'], scope: DlpRule['scope'], action: DlpRule['action'] = 'block') =>
    (await admin().endpoint('createDlpRule')({ body: { name, detector, scope, action } })).rule;
  const ref = (rule: DlpRule) => ({ id: rule.id, name: rule.name, action: rule.action });

  async function hitsOf(rule: DlpRule) {
    const officer = await buildUser(server(), { role: 'compliance' });
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'dlp.hit', limit: 50 } });
    return entries.filter((entry) => (entry.data.rule as { id: string }).id === rule.id);
  }

  test('a channel named with a marking is refused, never created, and the hit is audited without the name', async () => {
    const rule = await addRule('Markings everywhere', { kind: 'builtin', id: 'marking' }, {});
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const refused = await rejectsWith(alice.client.endpoint('createRoom')({ body: { kind: 'channel', name: '【机密】并购项目', memberIds: [bob.user.id] } }), 'DLP_BLOCKED', 403);
    assert.deepEqual(refused.data, { rules: [ref(rule)] });
    const rooms = await bob.client.endpoint('listRooms')({});
    assert.ok(!rooms.rooms.some((room) => room.name?.includes('并购')), 'no room was created');
    const channels = await bob.client.endpoint('listChannels')({});
    assert.ok(!JSON.stringify(channels).includes('并购'), 'nobody can find it');

    const [hit] = await hitsOf(rule);
    assert.deepEqual([hit?.data.context, hit?.data.outcome], ['room-name', 'blocked']);
    assert.ok(!JSON.stringify(hit).includes('并购'), 'the audit entry does not repeat the name');

    // Renaming an existing channel to it is refused the same way, and the old name stays.
    const room = await buildRoom(server(), { owner: alice.client, name: 'Lunch' });
    await rejectsWith(alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { name: '机密 lunch' } }), 'DLP_BLOCKED', 403);
    assert.equal((await alice.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.name, 'Lunch');
  });

  test("a topic is checked against the rules of that room: refused where an identity-number rule applies, allowed where none does", async () => {
    const alice = await buildUser(server());
    const guarded = await buildRoom(server(), { owner: alice.client });
    const open = await buildRoom(server(), { owner: alice.client });
    const rule = await addRule('Identity numbers here', { kind: 'builtin', id: 'prc-id' }, { roomIds: [guarded.id] });
    const refused = await rejectsWith(alice.client.endpoint('updateRoom')({ params: { roomId: guarded.id }, body: { topic: `call ${PRC_ID}` } }), 'DLP_BLOCKED', 403);
    assert.deepEqual(refused.data, { rules: [ref(rule)] });
    assert.equal((await alice.client.endpoint('getRoom')({ params: { roomId: guarded.id } })).room.topic, null);
    const [hit] = await hitsOf(rule);
    assert.deepEqual([hit?.data.context, hit?.target], ['room-topic', { type: 'room', id: guarded.id }]);

    const updated = await alice.client.endpoint('updateRoom')({ params: { roomId: open.id }, body: { topic: `call ${PRC_ID}` } });
    assert.equal(updated.room.topic, `call ${PRC_ID}`);
  });

  test('a display name with a card number is refused for the person, an administrator and a new account; a rule limited to rooms does not apply', async () => {
    const rule = await addRule('Cards everywhere', { kind: 'builtin', id: 'bank-card' }, {});
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const before = alice.user.displayName;
    const refused = await rejectsWith(alice.client.endpoint('updateMyProfile')({ body: { displayName: `Alice ${CARD}` } }), 'DLP_BLOCKED', 403);
    assert.deepEqual(refused.data, { rules: [ref(rule)] });
    await rejectsWith(admin().endpoint('updateUser')({ params: { userId: alice.user.id }, body: { displayName: `Alice ${CARD}` } }), 'DLP_BLOCKED', 403);
    assert.equal((await bob.client.endpoint('getUser')({ params: { userId: alice.user.id } })).user.displayName, before);
    const hits = await hitsOf(rule);
    assert.deepEqual(hits.map((hit) => [hit.data.context, hit.target?.id]), [['display-name', alice.user.id], ['display-name', alice.user.id]]);

    // Nor can an account be created with it, by an administrator.
    const username = `carol-${Date.now()}`;
    await rejectsWith(admin().endpoint('createUser')({ body: { username, password: 'a long enough passphrase 42', displayName: `Carol ${CARD}`, role: 'member' } }), 'DLP_BLOCKED', 403);
    const listed = await admin().endpoint('listUsers')({ query: { q: username } });
    assert.ok(!JSON.stringify(listed).includes(username), 'no account was created');

    const room = await buildRoom(server(), { owner: alice.client });
    await addRule('Code names in one room', { kind: 'keywords', words: ['kingfisher'] }, { roomIds: [room.id] });
    const renamed = await alice.client.endpoint('updateMyProfile')({ body: { displayName: 'Kingfisher fan' } });
    assert.equal(renamed.user.displayName, 'Kingfisher fan');
  });

  test('a group name is judged by the audience it is created with, and a warn rule refuses a name like a block rule', async () => {
    const rule = await addRule('Code names before guests', { kind: 'keywords', words: ['bluebird'] }, { audiences: ['guests'] }, 'warn');
    const alice = await buildUser(server());
    const colleague = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    const refused = await rejectsWith(alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'Bluebird team', memberIds: [colleague.user.id, guest.user.id] } }), 'DLP_BLOCKED', 403);
    assert.deepEqual(refused.data, { rules: [ref(rule)] });
    assert.equal((await hitsOf(rule))[0]?.data.context, 'group-name');

    // Without a guest the rule does not apply; once one is in the group, renaming to it is refused.
    const { room } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'Bluebird team', memberIds: [colleague.user.id] } });
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [guest.user.id] } });
    await rejectsWith(alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { name: 'Bluebird team 2' } }), 'DLP_BLOCKED', 403);
  });
});
