import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { streamCloseCodes, type EphemeralEvent, type Role } from '@enclave/protocol';
import { describeEachBackend, openStream } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { clientFrame, opcodes, openRawStream } from './raw-websocket';

/** What a watcher was told about one person, in order. */
function statusesOf(frames: EphemeralEvent[], userId: string): string[] {
  return frames.flatMap((frame) => (frame.type === 'presence' && frame.userId === userId ? [frame.status] : []));
}

describeEachBackend('presence and typing', (server) => {
  test('a watcher hears someone come online, go away and go offline', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const watcher = await openStream(alice.client);
    watcher.stream.watchPresence([bob.user.id]);
    await watcher.waitForEphemeral((frames) => frames.some((f) => f.type === 'presence' && f.userId === bob.user.id && f.status === 'offline'), 'bob offline at first');
    const bobStream = await openStream(bob.client);
    await watcher.waitForEphemeral((frames) => frames.some((f) => f.type === 'presence' && f.status === 'online'), 'bob online');
    bobStream.stream.setPresence('away');
    await watcher.waitForEphemeral((frames) => frames.some((f) => f.type === 'presence' && f.status === 'away'), 'bob away');
    bobStream.close();
    await watcher.waitForEphemeral((frames) => frames.filter((f) => f.type === 'presence' && f.status === 'offline').length === 2, 'bob offline again');
    watcher.close();
  });

  test('typing reaches the other members of the room, not the typist nor outsiders', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const outsider = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const own = await buildRoom(server(), { owner: outsider.client, members: [alice.user] });
    const [aliceStream, bobStream, outsiderStream] = await Promise.all([openStream(alice.client), openStream(bob.client), openStream(outsider.client)]);
    aliceStream.stream.sendTyping(room.id);
    await bobStream.waitForEphemeral((frames) => frames.some((f) => f.type === 'typing' && f.roomId === room.id && f.userId === alice.user.id), 'typing to bob');
    // A typing announcement in a room the outsider shares proves their stream works and would have shown a leak.
    aliceStream.stream.sendTyping(own.id);
    await outsiderStream.waitForEphemeral((frames) => frames.some((f) => f.type === 'typing' && f.roomId === own.id), 'typing to the outsider in their room');
    assert.equal(outsiderStream.ephemeral.filter((f) => f.type === 'typing' && f.roomId === room.id).length, 0);
    assert.equal(aliceStream.ephemeral.filter((f) => f.type === 'typing').length, 0);
    for (const s of [aliceStream, bobStream, outsiderStream]) s.close();
  });

  test('typing announcements closer than two seconds are dropped', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const marker = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const [aliceStream, bobStream] = await Promise.all([openStream(alice.client), openStream(bob.client)]);
    for (let i = 0; i < 5; i += 1) aliceStream.stream.sendTyping(room.id);
    aliceStream.stream.sendTyping(marker.id);
    await bobStream.waitForEphemeral((frames) => frames.some((f) => f.type === 'typing' && f.roomId === marker.id), 'marker typing');
    assert.equal(bobStream.ephemeral.filter((f) => f.type === 'typing' && f.roomId === room.id).length, 1);
    aliceStream.close();
    bobStream.close();
  });

  test('a guest watching a stranger is told offline, exactly as for an id that belongs to nobody, and nothing after', async () => {
    const guest = await buildUser(server(), { role: 'guest' });
    const colleague = await buildUser(server());
    const stranger = await buildUser(server());
    const observer = await buildUser(server());
    await buildRoom(server(), { owner: colleague.client, members: [guest.user] });
    const nobody = 'no-such-person';
    const watcher = await openStream(guest.client);
    watcher.stream.watchPresence([stranger.user.id, nobody, colleague.user.id]);
    await watcher.waitForEphemeral((frames) => frames.length === 3, 'the first answers');
    const observing = await openStream(observer.client);
    observing.stream.watchPresence([stranger.user.id]);
    const strangerStream = await openStream(stranger.client);
    strangerStream.stream.setPresence('away');
    await observing.waitForEphemeral((frames) => statusesOf(frames, stranger.user.id).includes('away'), 'the stranger away, as a member sees it');
    // The colleague shares a room with the guest: hearing them come online proves the guest's stream is flowing.
    const colleagueStream = await openStream(colleague.client);
    await watcher.waitForEphemeral((frames) => statusesOf(frames, colleague.user.id).includes('online'), 'the colleague online');
    assert.deepEqual(statusesOf(watcher.ephemeral, stranger.user.id), ['offline']);
    assert.deepEqual(statusesOf(watcher.ephemeral, nobody), ['offline']);
    for (const s of [watcher, observing, strangerStream, colleagueStream]) s.close();
  });

  test('a guest hears about someone only while they share a room', async () => {
    const guest = await buildUser(server(), { role: 'guest' });
    const member = await buildUser(server());
    const friend = await buildUser(server());
    const observer = await buildUser(server());
    await buildRoom(server(), { owner: friend.client, members: [guest.user] });
    const memberStream = await openStream(member.client);
    const watcher = await openStream(guest.client);
    watcher.stream.watchPresence([member.user.id, friend.user.id]);
    await watcher.waitForEphemeral((frames) => frames.length === 2, 'the first answers');
    assert.deepEqual(statusesOf(watcher.ephemeral, member.user.id), ['offline']);
    const room = await buildRoom(server(), { owner: member.client, members: [guest.user] });
    await watcher.waitForEphemeral((frames) => statusesOf(frames, member.user.id).includes('online'), 'the member online once the room is shared');
    await member.client.endpoint('removeMember')({ params: { roomId: room.id, userId: guest.user.id } });
    await watcher.waitForEphemeral((frames) => statusesOf(frames, member.user.id).length === 3, 'the member unseen again');
    const observing = await openStream(observer.client);
    observing.stream.watchPresence([member.user.id]);
    await observing.waitForEphemeral((frames) => statusesOf(frames, member.user.id).includes('online'), 'the observer sees the member');
    memberStream.stream.setPresence('away');
    await observing.waitForEphemeral((frames) => statusesOf(frames, member.user.id).includes('away'), 'the member away, as a member sees it');
    const friendStream = await openStream(friend.client);
    await watcher.waitForEphemeral((frames) => statusesOf(frames, friend.user.id).includes('online'), 'the friend online');
    assert.deepEqual(statusesOf(watcher.ephemeral, member.user.id), ['offline', 'online', 'offline']);
    for (const s of [watcher, observing, memberStream, friendStream]) s.close();
  });

  for (const role of ['member', 'compliance', 'admin'] satisfies Role[]) {
    test(`a ${role} hears about anyone, sharing a room or not`, async () => {
      const watcherUser = await buildUser(server(), { role });
      const stranger = await buildUser(server());
      const watcher = await openStream(watcherUser.client);
      watcher.stream.watchPresence([stranger.user.id]);
      await watcher.waitForEphemeral((frames) => statusesOf(frames, stranger.user.id).includes('offline'), 'offline at first');
      const strangerStream = await openStream(stranger.client);
      await watcher.waitForEphemeral((frames) => statusesOf(frames, stranger.user.id).includes('online'), 'the stranger online');
      watcher.close();
      strangerStream.close();
    });
  }

  test('a member made a guest has their open streams set up again, and then hears only about people they share a room with', async () => {
    const person = await buildUser(server());
    const stranger = await buildUser(server());
    const strangerStream = await openStream(stranger.client);
    const watcher = await openStream(person.client);
    watcher.stream.watchPresence([stranger.user.id]);
    await watcher.waitForEphemeral((frames) => statusesOf(frames, stranger.user.id).includes('online'), 'the stranger online, as a member sees it');
    const raw = openRawStream(server().url, { token: person.client.currentToken });
    await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'synced'), 'a second stream synced');
    await server().admin.client.endpoint('updateUser')({ params: { userId: person.user.id }, body: { role: 'guest' } });
    assert.equal(await Promise.race([raw.closed, delay(10_000, 'still open')]), streamCloseCodes.permissionsChanged);
    // The SDK reconnects by itself, watches again, and is now answered as a guest: offline, though the stranger is online.
    await watcher.waitForEphemeral((frames) => statusesOf(frames, stranger.user.id).at(-1) === 'offline', 'the stranger unseen under the new role');
    assert.ok(watcher.states.includes('reconnecting') && watcher.states.at(-1) === 'live', `states: ${watcher.states.join(',')}`);
    for (const s of [watcher, strangerStream]) s.close();
  });

  test('typing into a room one is not in is refused and reaches nobody', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const outsider = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const bobStream = await openStream(bob.client);
    const attacker = openRawStream(server().url, { token: outsider.client.currentToken });
    await attacker.waitFor(() => attacker.frames.some((frame) => frame.type === 'synced'), 'synced');
    attacker.send(clientFrame(opcodes.text, JSON.stringify({ type: 'typing', roomId: room.id })));
    await attacker.waitFor(() => attacker.frames.some((frame) => frame.type === 'error'), 'the refusal');
    const refusal = attacker.frames.find((frame) => frame.type === 'error');
    assert.equal(refusal?.type === 'error' && refusal.error.code, 'ROOM_NOT_FOUND');
    const aliceStream = await openStream(alice.client);
    aliceStream.stream.sendTyping(room.id);
    await bobStream.waitForEphemeral((frames) => frames.some((f) => f.type === 'typing' && f.userId === alice.user.id), 'alice typing');
    assert.deepEqual(bobStream.ephemeral.filter((f) => f.type === 'typing' && f.userId === outsider.user.id), []);
    attacker.end();
    for (const s of [bobStream, aliceStream]) s.close();
  });
});
