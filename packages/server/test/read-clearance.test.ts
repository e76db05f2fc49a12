import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { type CeilingBelowContentData, type LoggedEvent, streamCloseCodes } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { buildUser, sendConfirmed } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend, messagesIn, openStream, type TestServer } from './harness';
import { openRawStream } from './raw-websocket';
import { pngImage, upload } from './upload-helpers';

/** A word no other test uses, letters only, so that it stays one word in the search index. */
function unique(stem: string): string {
  return `${stem}${randomBytes(4).toString('hex').replace(/\d/g, (digit) => 'ghijklmnop'[Number(digit)]!)}`;
}

/**
 * A room with a ceiling of Secret holding Secret content of every kind a reader could reach: a message with a
 * code word that mentions everyone, is pinned and reacted to, carries an image and a text file, and has a reply;
 * an Internal message whose thread has a Secret reply; and an Internal message with nothing secret about it.
 */
async function secretRoom(server: TestServer) {
  const admin = server.admin.client;
  const owner = await buildUser(server);
  await admin.endpoint('updateUser')({ params: { userId: owner.user.id }, body: { clearance: 'secret' } });
  const { room } = await owner.client.endpoint('createRoom')({ body: { kind: 'group', name: unique('vault'), ceiling: 'secret', defaultLabel: 'secret' } });
  const word = unique('osprey');
  const image = await upload(owner.client, room.id, await pngImage(64, 48), 'site.png', { label: 'secret' });
  const note = await upload(owner.client, room.id, `the ${word} site plan`, 'plan.txt', { label: 'secret' });
  const secret = await sendConfirmed(owner.client, room.id, { text: `@all the ${word} plan is ready`, fileIds: [image.id, note.id] });
  await owner.client.endpoint('pinMessage')({ params: { messageId: secret.id } });
  await owner.client.endpoint('addReaction')({ params: { messageId: secret.id, emoji: '👍' } });
  const secretReply = await sendConfirmed(owner.client, room.id, { text: `${word} reply`, threadRootId: secret.id });
  const open = await sendConfirmed(owner.client, room.id, { text: 'lunch at noon', label: 'internal' });
  const hiddenReply = await sendConfirmed(owner.client, room.id, { text: `${word} in an open thread`, threadRootId: open.id, alsoSendToRoom: true });
  return { owner, room, word, secret, secretReply, open, hiddenReply, files: [image, note] };
}

type Scene = Awaited<ReturnType<typeof secretRoom>>;

/**
 * Lowers the ceiling the way rooms were lowered before a decision was required (`acknowledgeDowngrade` alone),
 * straight in storage: such rooms exist, and reading must hold for them too.
 */
async function lowerCeilingTheOldWay(server: TestServer, roomId: string): Promise<void> {
  await server.running.database.db.updateTable('rooms').set({ ceiling: 'internal', default_label: 'internal' }).where('id', '=', roomId).execute();
}

async function addReader(server: TestServer, scene: Scene) {
  const reader = await buildUser(server);
  assert.equal(reader.user.clearance, 'internal');
  await scene.owner.client.endpoint('addMembers')({ params: { roomId: scene.room.id }, body: { userIds: [reader.user.id] } });
  return reader;
}

/** Every way a member could read Secret items of the room; none may show them. */
async function assertSeesNoSecret(client: EnclaveClient, scene: Scene, hidden: { messageIds: string[]; fileIds: string[] }) {
  const { room, word } = scene;
  const list = client.endpoint('listMessages');
  const noHidden = (messages: { id: string; text: string }[], where: string) => {
    for (const message of messages) {
      assert.ok(!hidden.messageIds.includes(message.id), `${where} shows hidden message ${message.id}`);
      assert.ok(!message.text.includes(word), `${where} shows the code word`);
    }
  };
  noHidden((await list({ params: { roomId: room.id }, query: {} })).messages, 'history');
  noHidden((await list({ params: { roomId: room.id }, query: { before: scene.open.id } })).messages, 'history before');
  noHidden((await list({ params: { roomId: room.id }, query: { around: scene.open.id } })).messages, 'history around');
  noHidden((await list({ params: { roomId: room.id }, query: { after: scene.open.id } })).messages, 'history after');
  noHidden((await list({ params: { roomId: room.id }, query: { threadRootId: scene.open.id } })).messages, 'open thread');
  for (const anchor of ['before', 'around', 'after'] as const) {
    await rejectsWith(list({ params: { roomId: room.id }, query: { [anchor]: scene.secret.id } }), 'VALIDATION_FAILED', 400);
  }
  await rejectsWith(list({ params: { roomId: room.id }, query: { threadRootId: scene.secret.id } }), 'THREAD_ROOT_INVALID', 400);
  noHidden((await client.endpoint('listMentions')({ query: {} })).messages, 'mentions');
  noHidden((await client.endpoint('listPins')({ params: { roomId: room.id } })).messages, 'pins');
  assert.deepEqual((await client.endpoint('search')({ query: { q: word } })).results, []);
  assert.deepEqual((await client.endpoint('search')({ query: { q: word, roomId: room.id } })).results, []);
  const shared = (await client.endpoint('listRoomFiles')({ params: { roomId: room.id }, query: {} })).files.map((entry) => entry.file.id);
  for (const fileId of hidden.fileIds) {
    assert.ok(!shared.includes(fileId), 'the room file list shows a hidden file');
    await rejectsWith(client.endpoint('getFile')({ params: { fileId } }), 'FILE_NOT_FOUND', 404);
    for (const disposition of ['inline', 'attachment'] as const) {
      await rejectsWith(client.endpoint('fileContent')({ params: { fileId }, query: { disposition } }), 'FILE_NOT_FOUND', 404);
    }
    await rejectsWith(client.endpoint('fileThumbnail')({ params: { fileId } }), 'FILE_NOT_FOUND', 404);
  }
  for (const messageId of hidden.messageIds) {
    await rejectsWith(client.endpoint('messageReaders')({ params: { messageId } }), 'MESSAGE_NOT_FOUND', 404);
    await rejectsWith(client.endpoint('markRead')({ params: { roomId: room.id }, body: { messageId } }), 'VALIDATION_FAILED', 400);
  }
}

/** Resumes from the very start of the log and checks that nothing about the hidden messages comes back. */
async function assertStreamShowsNoSecret(client: EnclaveClient, scene: Scene, hiddenIds: string[]) {
  const resumed = await openStream(client, { after: 0 });
  try {
    const seen = JSON.stringify(resumed.events);
    for (const id of hiddenIds) assert.ok(!seen.includes(id), `the stream replays hidden message ${id}`);
    assert.ok(!seen.includes(scene.word), 'the stream replays the code word');
  } finally {
    resumed.close();
  }
}

function aboutMessage(event: LoggedEvent): string | undefined {
  if (event.type === 'message.created' || event.type === 'message.updated') return event.message.id;
  if (event.type === 'reactions.changed') return event.messageId;
  return undefined;
}

describeEachBackend('reading checks clearance', (server) => {
  test('after a ceiling was lowered with the content left above it, a newcomer cleared for Internal reads none of it by any route', async () => {
    const scene = await secretRoom(server());
    await lowerCeilingTheOldWay(server(), scene.room.id);
    const reader = await addReader(server(), scene);
    const hidden = { messageIds: [scene.secret.id, scene.secretReply.id, scene.hiddenReply.id], fileIds: scene.files.map((file) => file.id) };
    await assertSeesNoSecret(reader.client, scene, hidden);
    // The open message is there: the refusals above are about clearance, not about the room.
    const history = await reader.client.endpoint('listMessages')({ params: { roomId: scene.room.id }, query: {} });
    assert.deepEqual(history.messages.map((message) => message.id), [scene.open.id]);
    // Unread and mention counts do not give away what the reader cannot open.
    const summary = (await reader.client.endpoint('getRoom')({ params: { roomId: scene.room.id } })).room;
    const listed = (await reader.client.endpoint('listRooms')()).rooms.find((room) => room.id === scene.room.id);
    for (const counts of [summary, listed]) assert.deepEqual([counts?.unreadCount, counts?.mentionCount], [1, 0]);
    for (const messageId of hidden.messageIds) {
      await rejectsWith(reader.client.endpoint('addReaction')({ params: { messageId, emoji: '👀' } }), 'MESSAGE_NOT_FOUND', 404);
      await rejectsWith(reader.client.endpoint('pinMessage')({ params: { messageId } }), 'MESSAGE_NOT_FOUND', 404);
      await rejectsWith(reader.client.endpoint('forwardMessage')({ params: { messageId }, body: { roomId: scene.room.id } }), 'MESSAGE_NOT_FOUND', 404);
    }
    await assertStreamShowsNoSecret(reader.client, scene, hidden.messageIds);
  });

  test('live, the stream does not deliver a message above the reader’s clearance, nor its edits or reactions', async () => {
    const scene = await secretRoom(server());
    await lowerCeilingTheOldWay(server(), scene.room.id);
    const reader = await addReader(server(), scene);
    const live = await openStream(reader.client);
    try {
      // Content above the ceiling cannot be edited (its label no longer fits the room); a reaction still makes events.
      await rejectsWith(scene.owner.client.endpoint('editMessage')({ params: { messageId: scene.secret.id }, body: { text: `${scene.word} plan, revised` } }), 'LABEL_ABOVE_ROOM_CEILING', 403);
      await scene.owner.client.endpoint('addReaction')({ params: { messageId: scene.secret.id, emoji: '🎯' } });
      // A Secret message in the room can no longer be sent (ceiling); an Internal one arrives and ends the wait.
      const marker = await sendConfirmed(scene.owner.client, scene.room.id, { text: 'after the edit' });
      await live.waitFor((events) => messagesIn(events, scene.room.id).some((message) => message.id === marker.id), 'the marker message');
      assert.deepEqual(live.events.map(aboutMessage).filter((id) => id === scene.secret.id), []);
      assert.ok(!JSON.stringify(live.events).includes(scene.word));
    } finally {
      live.close();
    }
  });

  test('lowering a ceiling tells the owner how many messages and files are above it before anything changes', async () => {
    const scene = await secretRoom(server());
    const refused = await rejectsWith(
      scene.owner.client.endpoint('updateRoom')({ params: { roomId: scene.room.id }, body: { ceiling: 'internal', acknowledgeDowngrade: true } }),
      'CEILING_BELOW_CONTENT',
      409,
    );
    const data = refused.data as CeilingBelowContentData;
    assert.deepEqual(data, { ceiling: 'internal', labels: ['secret'], messages: [{ label: 'secret', count: 3 }], files: [{ label: 'secret', count: 2 }], choices: ['relabel', 'hide'] });
    const room = await scene.owner.client.endpoint('getRoom')({ params: { roomId: scene.room.id } });
    assert.equal(room.room.ceiling, 'secret');
    await rejectsWith(
      scene.owner.client.endpoint('updateRoom')({ params: { roomId: scene.room.id }, body: { ceiling: 'internal', contentAbove: 'everything' as 'hide' } }),
      'VALIDATION_FAILED',
      400,
    );
  });

  test('relabelling brings the content down to the new ceiling: a newcomer then reads it, labelled Internal, and the change is audited', async () => {
    const scene = await secretRoom(server());
    const { room } = await scene.owner.client.endpoint('updateRoom')({ params: { roomId: scene.room.id }, body: { ceiling: 'internal', contentAbove: 'relabel' } });
    assert.equal(room.ceiling, 'internal');
    const reader = await addReader(server(), scene);
    const history = await reader.client.endpoint('listMessages')({ params: { roomId: scene.room.id }, query: {} });
    const secret = history.messages.find((message) => message.id === scene.secret.id);
    assert.equal(secret?.label, 'internal');
    assert.deepEqual(secret?.files.map((file) => file.label), ['internal', 'internal']);
    const found = await reader.client.endpoint('search')({ query: { q: scene.word, roomId: scene.room.id } });
    assert.ok(found.results.some((result) => result.message.id === scene.secret.id));
    const bytes = await reader.client.endpoint('fileContent')({ params: { fileId: scene.files[1]!.id }, query: { disposition: 'inline' } });
    assert.equal(Buffer.from(bytes).toString(), `the ${scene.word} site plan`);
    const audit = await server().running.database.db.selectFrom('audit_log').select('data').where('action', '=', 'room.content_relabelled').where('target_id', '=', scene.room.id).execute();
    assert.equal(audit.length, 1);
    const entry = JSON.parse(audit[0]!.data) as Record<string, unknown>;
    assert.deepEqual(entry, { ceiling: 'internal', messages: [{ label: 'secret', count: 3 }], files: [{ label: 'secret', count: 2 }] });
    assert.ok(!audit[0]!.data.includes(scene.word), 'the audit entry holds no content');
  });

  test('hiding takes the content away from everyone in the room, the owner too; it stays in storage and cannot be changed', async () => {
    const scene = await secretRoom(server());
    await scene.owner.client.endpoint('updateRoom')({ params: { roomId: scene.room.id }, body: { ceiling: 'internal', contentAbove: 'hide' } });
    const reader = await addReader(server(), scene);
    const hidden = { messageIds: [scene.secret.id, scene.secretReply.id, scene.hiddenReply.id], fileIds: scene.files.map((file) => file.id) };
    await assertSeesNoSecret(reader.client, scene, hidden);
    await assertSeesNoSecret(scene.owner.client, scene, hidden);
    await assertStreamShowsNoSecret(scene.owner.client, scene, hidden.messageIds);
    const change = scene.owner.client;
    const { secret } = scene;
    await rejectsWith(change.endpoint('editMessage')({ params: { messageId: secret.id }, body: { text: 'again' } }), 'MESSAGE_DELETED', 409);
    await rejectsWith(change.endpoint('addReaction')({ params: { messageId: secret.id, emoji: '👀' } }), 'MESSAGE_DELETED', 409);
    await rejectsWith(change.endpoint('pinMessage')({ params: { messageId: secret.id } }), 'MESSAGE_DELETED', 409);
    await rejectsWith(change.endpoint('recallMessage')({ params: { messageId: secret.id } }), 'MESSAGE_DELETED', 409);
    await rejectsWith(change.endpoint('forwardMessage')({ params: { messageId: secret.id }, body: { roomId: scene.room.id } }), 'MESSAGE_DELETED', 409);
    // The reader, below its label, does not even learn that it exists.
    await rejectsWith(reader.client.endpoint('editMessage')({ params: { messageId: secret.id }, body: { text: 'x' } }), 'MESSAGE_NOT_FOUND', 404);
    const kept = await server().running.database.db.selectFrom('messages').select(['label', 'hidden_at']).where('id', '=', secret.id).executeTakeFirstOrThrow();
    assert.equal(kept.label, 'secret');
    assert.notEqual(kept.hidden_at, null);
    const audit = await server().running.database.db.selectFrom('audit_log').select('data').where('action', '=', 'room.content_hidden').where('target_id', '=', scene.room.id).execute();
    assert.equal(audit.length, 1);
    // Hidden content no longer counts: lowering further asks only about the Internal message still shown.
    const further = await rejectsWith(scene.owner.client.endpoint('updateRoom')({ params: { roomId: scene.room.id }, body: { ceiling: 'public' } }), 'CEILING_BELOW_CONTENT', 409);
    assert.deepEqual((further.data as CeilingBelowContentData).messages, [{ label: 'internal', count: 1 }]);
  });

  test('a clearance an admin lowers takes effect at once: the open stream is ended and the content is no longer read', async () => {
    const scene = await secretRoom(server());
    await lowerCeilingTheOldWay(server(), scene.room.id);
    const member = await buildUser(server());
    await server().admin.client.endpoint('updateUser')({ params: { userId: member.user.id }, body: { clearance: 'secret' } });
    await scene.owner.client.endpoint('addMembers')({ params: { roomId: scene.room.id }, body: { userIds: [member.user.id] } });
    const before = await member.client.endpoint('listMessages')({ params: { roomId: scene.room.id }, query: {} });
    assert.ok(before.messages.some((message) => message.id === scene.secret.id), 'cleared for Secret, they read it');
    const raw = openRawStream(server().url, { token: member.client.currentToken });
    await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'synced'), 'the stream synced');
    const live = await openStream(member.client);
    try {
      await server().admin.client.endpoint('updateUser')({ params: { userId: member.user.id }, body: { clearance: 'internal' } });
      assert.equal(await Promise.race([raw.closed, delay(10_000, 'still open')]), streamCloseCodes.permissionsChanged);
      // The SDK reconnects by itself; its new stream reads the new clearance.
      for (let waited = 0; !(live.states.includes('reconnecting') && live.states.at(-1) === 'live'); waited += 50) {
        assert.ok(waited < 10_000, `the SDK did not come back: ${live.states.join(',')}`);
        await delay(50);
      }
      await scene.owner.client.endpoint('addReaction')({ params: { messageId: scene.secret.id, emoji: '📌' } });
      const marker = await sendConfirmed(scene.owner.client, scene.room.id, { text: 'after the clearance change' });
      await live.waitFor((events) => messagesIn(events, scene.room.id).some((message) => message.id === marker.id), 'the marker message');
      assert.deepEqual(live.events.map(aboutMessage).filter((id) => id === scene.secret.id), []);
    } finally {
      live.close();
    }
    const hidden = { messageIds: [scene.secret.id, scene.secretReply.id, scene.hiddenReply.id], fileIds: scene.files.map((file) => file.id) };
    await assertSeesNoSecret(member.client, scene, hidden);
    await assertStreamShowsNoSecret(member.client, scene, hidden.messageIds);
  });
});
