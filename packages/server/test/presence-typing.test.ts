import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachBackend, openStream } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

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
});
