import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream } from './harness';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';

describeEachBackend('classification labels', (server) => {
  const admin = () => server().admin.client;
  const clear = async (userId: string, clearance: string) => admin().endpoint('updateUser')({ params: { userId }, body: { clearance } });

  test('the default labels come ordered, with English and Chinese names', async () => {
    const member = await buildUser(server());
    const { labels } = await member.client.endpoint('listLabels')();
    assert.deepEqual(
      labels.slice(0, 4).map((l) => [l.id, l.names.en, l.names['zh-CN']]),
      [
        ['public', 'Public', '公开'],
        ['internal', 'Internal', '内部'],
        ['confidential', 'Confidential', '机密'],
        ['secret', 'Secret', '绝密'],
      ],
    );
    assert.equal(member.user.clearance, 'internal');
  });

  test('a message gets the room default label, and one above the ceiling is refused', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    assert.deepEqual([room.ceiling, room.defaultLabel], ['internal', 'internal']);
    const plain = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'ordinary' } });
    assert.equal(plain.message.label, 'internal');
    const open = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'for anyone', label: 'public' } });
    assert.equal(open.message.label, 'public');
    const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'plans', label: 'confidential' } }), 'LABEL_ABOVE_ROOM_CEILING', 403);
    assert.deepEqual(refused.data, { label: 'confidential', ceiling: 'internal' });
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'x', label: 'no-such-label' } }), 'LABEL_NOT_FOUND', 404);
    const live = await openStream(alice.client);
    const refusedOnStream = await live.stream.sendMessage({ roomId: room.id, text: 'plans', clientId: 'labelled-1', label: 'secret' }).catch((e: unknown) => e);
    assert.equal((refusedOnStream as { code: string }).code, 'LABEL_ABOVE_ROOM_CEILING');
    live.close();
  });

  test('raising a ceiling needs every member cleared; then confidential messages go through', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await clear(alice.user.id, 'confidential');
    const refused = await rejectsWith(alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'confidential' } }), 'CLEARANCE_TOO_LOW', 403);
    assert.deepEqual(refused.data?.userIds, [bob.user.id]);
    await clear(bob.user.id, 'confidential');
    const live = await openStream(bob.client);
    await rejectsWith(bob.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'confidential' } }), 'FORBIDDEN', 403);
    const raised = await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'confidential' } });
    assert.equal(raised.room.ceiling, 'confidential');
    await live.waitFor((events) => events.some((e) => e.type === 'room.updated' && e.room.ceiling === 'confidential'), 'room.updated');
    const sent = await sendConfirmed(alice.client, room.id, { text: 'merger terms', label: 'confidential' });
    assert.equal(sent.label, 'confidential');
    live.close();
  });

  test('nobody below the ceiling can be added to the room or join it', async () => {
    const alice = await buildUser(server());
    const carol = await buildUser(server());
    await clear(alice.user.id, 'secret');
    const { room } = await alice.client.endpoint('createRoom')({ body: { kind: 'channel', name: `vault-${alice.user.id.slice(0, 4)}`, ceiling: 'secret' } });
    const added = await rejectsWith(alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [carol.user.id] } }), 'CLEARANCE_TOO_LOW', 403);
    assert.deepEqual(added.data?.userIds, [carol.user.id]);
    await rejectsWith(carol.client.endpoint('joinChannel')({ params: { roomId: room.id } }), 'CLEARANCE_TOO_LOW', 403);
    const members = await alice.client.endpoint('listMembers')({ params: { roomId: room.id } });
    assert.deepEqual(members.members.map((m) => m.userId), [alice.user.id], 'nothing was half-added');
    await rejectsWith(
      alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'too high', memberIds: [carol.user.id], ceiling: 'secret' } }),
      'CLEARANCE_TOO_LOW',
      403,
    );
  });

  test('a new room with people of low clearance gets a ceiling they all reach', async () => {
    const alice = await buildUser(server());
    const guest = await buildUser(server());
    await clear(guest.user.id, 'public');
    const room = await buildRoom(server(), { owner: alice.client, members: [guest.user] });
    assert.deepEqual([room.ceiling, room.defaultLabel], ['public', 'public']);
  });

  test('lowering a ceiling below labels in the room needs a decision on that content, and is audited as a downgrade', async () => {
    const alice = await buildUser(server());
    await clear(alice.user.id, 'confidential');
    const { room } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'downgrade', ceiling: 'confidential', defaultLabel: 'confidential' } });
    await sendConfirmed(alice.client, room.id, { text: 'sensitive' });
    await sendConfirmed(alice.client, room.id, { text: 'also sensitive' });
    await sendConfirmed(alice.client, room.id, { text: 'ordinary', label: 'internal' });
    const refused = await rejectsWith(alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'internal' } }), 'CEILING_BELOW_CONTENT', 409);
    assert.deepEqual(refused.data, { ceiling: 'internal', labels: ['confidential'], messages: [{ label: 'confidential', count: 2 }], files: [], choices: ['relabel', 'hide'] });
    // The old acknowledgement alone no longer lowers anything: the owner must say what happens to the content.
    await rejectsWith(alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'internal', acknowledgeDowngrade: true } }), 'CEILING_BELOW_CONTENT', 409);
    assert.equal((await alice.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.ceiling, 'confidential');
    const lowered = await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'internal', contentAbove: 'relabel' } });
    assert.deepEqual([lowered.room.ceiling, lowered.room.defaultLabel], ['internal', 'internal']);
    const audit = await server().running.database.db.selectFrom('audit_log').select('data').where('action', '=', 'room.ceiling_downgraded').where('target_id', '=', room.id).execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(JSON.parse(audit[0]!.data).from, { ceiling: 'confidential', defaultLabel: 'confidential' });
  });

  test('a clearance cannot drop below a room the person is in; unknown labels are refused', async () => {
    const alice = await buildUser(server());
    await clear(alice.user.id, 'confidential');
    const { room } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'kept', ceiling: 'confidential' } });
    const refused = await rejectsWith(clear(alice.user.id, 'internal'), 'CLEARANCE_TOO_LOW', 403);
    assert.deepEqual(refused.data?.roomIds, [room.id]);
    await rejectsWith(clear(alice.user.id, 'top-secret'), 'LABEL_NOT_FOUND', 404);
    await rejectsWith(alice.client.endpoint('updateUser')({ params: { userId: alice.user.id }, body: { clearance: 'secret' } }), 'ADMIN_REQUIRED', 403);
  });

  test('an admin adds a label at a rank and renames it; members cannot', async () => {
    const member = await buildUser(server());
    const id = `restricted-${member.user.id.slice(0, 4)}`;
    const { label } = await admin().endpoint('createLabel')({ body: { id, names: { en: 'Restricted', 'zh-CN': '限制' }, colour: '#7c3aed', rank: 2 } });
    assert.equal(label.rank, 2);
    const { labels } = await member.client.endpoint('listLabels')();
    const order = labels.map((l) => l.id);
    assert.ok(order.indexOf('internal') < order.indexOf(id) && order.indexOf(id) < order.indexOf('confidential'));
    const renamed = await admin().endpoint('updateLabel')({ params: { labelId: id }, body: { names: { en: 'Restricted use', 'zh-CN': '限制使用' } } });
    assert.equal(renamed.label.names.en, 'Restricted use');
    await rejectsWith(admin().endpoint('createLabel')({ body: { id, names: { en: 'x', 'zh-CN': 'x' }, colour: '#000000', rank: 0 } }), 'LABEL_EXISTS', 409);
    await rejectsWith(member.client.endpoint('createLabel')({ body: { id: 'mine', names: { en: 'x', 'zh-CN': 'x' }, colour: '#000000', rank: 0 } }), 'ADMIN_REQUIRED', 403);
  });
});
