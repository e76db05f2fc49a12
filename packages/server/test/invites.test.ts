import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { CreatedInvite, EndpointInput } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import { rejectsWith } from './expect-error';
import { requestFrom, type RawAnswer } from './from-address';
import { describeEachBackend } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describeEachBackend('invites', (server) => {
  const admin = () => server().admin.client;
  const anonymous = () => new EnclaveClient({ baseUrl: server().url });
  const db = () => server().running.database.db;
  let counter = 0;

  async function invite(client: EnclaveClient, body: EndpointInput<'createInvite'>['body'] = {}): Promise<CreatedInvite> {
    return (await client.endpoint('createInvite')({ body })).invite;
  }

  function account(prefix = 'newcomer') {
    counter += 1;
    return { username: `${prefix}${counter}-${Date.now() % 100_000}`, displayName: `Newcomer ${counter}`, password: 'a long enough password' };
  }

  async function auditOf(action: string) {
    const officer = await buildUser(server(), { role: 'compliance' });
    return (await officer.client.endpoint('listAudit')({ query: { action, limit: 200 } })).entries;
  }

  test('an organisation invite shows its link once, is listed by prefix only, and signs a newcomer up and in', async () => {
    const created = await invite(admin(), { expiresInHours: 48 });
    assert.match(created.code, /^[A-Za-z0-9_-]{43}$/, '256 bits in base64url');
    assert.equal(created.url, `${server().url}/invite/${created.code}`);
    assert.deepEqual([created.kind, created.role, created.clearance, created.maxUses, created.uses, created.status], ['organisation', 'member', 'internal', 1, 0, 'active']);
    const hours = (Date.parse(created.expiresAt) - Date.parse(created.createdAt)) / 3_600_000;
    assert.ok(Math.abs(hours - 48) < 0.01);

    const { invites } = await admin().endpoint('listInvites')();
    const listed = invites.find((i) => i.id === created.id);
    assert.equal(listed?.codePrefix, created.code.slice(0, 6));
    assert.ok(!JSON.stringify(invites).includes(created.code), 'the list never carries a code');
    const stored = await db().selectFrom('invites').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.equal(stored.code_hash, createHash('sha256').update(created.code).digest('hex'));
    assert.ok(!JSON.stringify(stored).includes(created.code), 'only the hash is stored');

    assert.deepEqual((await anonymous().endpoint('getInvite')({ params: { code: created.code } })).invite, {
      kind: 'organisation',
      roomName: null,
      roomTopic: null,
      memberCount: null,
      roomLabel: null,
      expiresAt: created.expiresAt,
      requiresApproval: false,
    });
    const chosen = account();
    const joined = await anonymous().endpoint('acceptInvite')({ params: { code: created.code }, body: { account: chosen } });
    assert.equal(joined.outcome, 'joined');
    assert.equal(joined.user?.username, chosen.username);
    const newcomer = new EnclaveClient({ baseUrl: server().url, token: joined.token });
    const me = await newcomer.endpoint('me')();
    assert.deepEqual([me.user.displayName, me.user.role, me.user.clearance], [chosen.displayName, 'member', 'internal']);
    await new EnclaveClient({ baseUrl: server().url }).login(chosen.username, chosen.password);

    await rejectsWith(anonymous().endpoint('acceptInvite')({ params: { code: created.code }, body: { account: account() } }), 'INVITE_USED_UP', 410);
    const uses = (await auditOf('invite.used')).filter((entry) => entry.target?.id === created.id);
    assert.deepEqual(uses.map((entry) => [entry.actorId, entry.data.outcome]), [[joined.user?.id, 'joined']]);
    const creations = (await auditOf('invite.created')).filter((entry) => entry.target?.id === created.id);
    assert.equal(creations.length, 1);
    assert.ok(!JSON.stringify(creations).includes(created.code), 'the audit log names the prefix, never the code');
  });

  test('signing up through an invite is validated like user creation and cannot take a username', async () => {
    const created = await invite(admin(), { maxUses: 5 });
    const code = created.code;
    await rejectsWith(anonymous().endpoint('acceptInvite')({ params: { code }, body: {} }), 'VALIDATION_FAILED', 400);
    await rejectsWith(anonymous().endpoint('acceptInvite')({ params: { code }, body: { account: { ...account(), password: 'short' } } }), 'PASSWORD_TOO_WEAK', 400);
    await rejectsWith(anonymous().endpoint('acceptInvite')({ params: { code }, body: { account: { ...account(), username: 'Capitals' } } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(anonymous().endpoint('acceptInvite')({ params: { code }, body: { account: { ...account(), username: server().admin.username } } }), 'USERNAME_TAKEN', 409);
    const listed = (await admin().endpoint('listInvites')()).invites.find((i) => i.id === created.id);
    assert.equal(listed?.uses, 0, 'refused sign-ups take no use');
  });

  test('an organisation invite can make a guest, but never above the guest maximum clearance', async () => {
    await rejectsWith(invite(admin(), { role: 'guest', clearance: 'secret' }), 'CLEARANCE_ABOVE_GUEST_MAXIMUM', 403);
    await rejectsWith(invite(admin(), { clearance: 'no-such-label' }), 'LABEL_NOT_FOUND', 404);
    const created = await invite(admin(), { role: 'guest' });
    assert.deepEqual([created.role, created.clearance], ['guest', 'internal']);
    const joined = await anonymous().endpoint('acceptInvite')({ params: { code: created.code }, body: { account: account('guest') } });
    assert.deepEqual([joined.user?.role, joined.user?.clearance], ['guest', 'internal']);
  });

  test('a room owner invites into their room and a signed-in person joins it once, within maxUses', async () => {
    const owner = await buildUser(server());
    const room = await buildRoom(server(), { owner: owner.client, name: 'Invite target' });
    const created = await invite(owner.client, { roomId: room.id, maxUses: 2 });
    assert.deepEqual([created.kind, created.room, created.role, created.clearance], ['room', { id: room.id, name: 'Invite target' }, null, null]);
    assert.deepEqual((await anonymous().endpoint('getInvite')({ params: { code: created.code } })).invite.roomName, 'Invite target');

    await rejectsWith(anonymous().endpoint('acceptInvite')({ params: { code: created.code }, body: {} }), 'UNAUTHENTICATED', 401);
    const bob = await buildUser(server());
    const joined = await bob.client.endpoint('acceptInvite')({ params: { code: created.code }, body: {} });
    assert.deepEqual(joined, { outcome: 'joined', kind: 'room', roomId: room.id });
    const { members } = await owner.client.endpoint('listMembers')({ params: { roomId: room.id } });
    assert.ok(members.some((m) => m.userId === bob.user.id && m.role === 'member'));
    // Following the link again takes no second use.
    await bob.client.endpoint('acceptInvite')({ params: { code: created.code }, body: {} });
    const carol = await buildUser(server());
    await carol.client.endpoint('acceptInvite')({ params: { code: created.code }, body: {} });
    const dave = await buildUser(server());
    await rejectsWith(dave.client.endpoint('acceptInvite')({ params: { code: created.code }, body: {} }), 'INVITE_USED_UP', 410);
    const listed = (await owner.client.endpoint('listInvites')({ query: { roomId: room.id } })).invites;
    assert.deepEqual(listed.map((i) => [i.id, i.uses, i.status]), [[created.id, 2, 'used-up']]);
  });

  test("a room invite respects the room's ceiling, guests and freezing", async () => {
    const owner = await buildUser(server(), { clearance: 'confidential' });
    const { room } = await owner.client.endpoint('createRoom')({ body: { kind: 'group', name: 'Confidential desk', memberIds: [], ceiling: 'confidential' } });
    const created = await invite(owner.client, { roomId: room.id, maxUses: 10 });
    const cleared = await buildUser(server(), { clearance: 'confidential' });
    const internal = await buildUser(server());
    await rejectsWith(internal.client.endpoint('acceptInvite')({ params: { code: created.code }, body: {} }), 'CLEARANCE_TOO_LOW', 403);
    await cleared.client.endpoint('acceptInvite')({ params: { code: created.code }, body: {} });

    const channel = await buildRoom(server(), { owner: owner.client, kind: 'channel' });
    const toChannel = await invite(owner.client, { roomId: channel.id });
    const guest = await buildUser(server(), { role: 'guest' });
    await rejectsWith(guest.client.endpoint('acceptInvite')({ params: { code: toChannel.code }, body: {} }), 'GUEST_NOT_ALLOWED', 403);
    await admin().endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'audit' } });
    const late = await buildUser(server(), { clearance: 'confidential' });
    await rejectsWith(late.client.endpoint('acceptInvite')({ params: { code: created.code }, body: {} }), 'ROOM_FROZEN', 423);
    await rejectsWith(invite(owner.client, { roomId: room.id }), 'ROOM_FROZEN', 423);
    const listed = (await owner.client.endpoint('listInvites')({ query: { roomId: room.id } })).invites;
    assert.equal(listed[0]?.uses, 1, 'refused joins take no use');
  });

  test('only admins invite into the organisation; only owners (and admins) into a room, list and revoke its invites', async () => {
    const owner = await buildUser(server());
    const member = await buildUser(server());
    const outsider = await buildUser(server());
    const room = await buildRoom(server(), { owner: owner.client, members: [member.user] });
    await rejectsWith(invite(owner.client), 'ADMIN_REQUIRED', 403);
    await rejectsWith(invite(member.client, { roomId: room.id }), 'FORBIDDEN', 403);
    await rejectsWith(invite(outsider.client, { roomId: room.id }), 'ROOM_NOT_FOUND', 404);
    await rejectsWith(invite(owner.client, { roomId: room.id, role: 'guest' }), 'VALIDATION_FAILED', 400);
    await rejectsWith(invite(owner.client, { roomId: room.id, expiresInHours: 24 * 31 }), 'VALIDATION_FAILED', 400);
    const { room: dm } = await owner.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [member.user.id] } });
    await rejectsWith(invite(owner.client, { roomId: dm.id }), 'FORBIDDEN', 403);

    const byOwner = await invite(owner.client, { roomId: room.id });
    const byAdmin = await invite(admin(), { roomId: room.id });
    const orgInvite = await invite(admin());
    const ownerSees = (await owner.client.endpoint('listInvites')()).invites.map((i) => i.id);
    assert.deepEqual(new Set(ownerSees), new Set([byOwner.id, byAdmin.id]));
    assert.deepEqual((await member.client.endpoint('listInvites')()).invites, []);
    const adminSees = (await admin().endpoint('listInvites')()).invites.map((i) => i.id);
    for (const id of [byOwner.id, byAdmin.id, orgInvite.id]) assert.ok(adminSees.includes(id));

    await rejectsWith(member.client.endpoint('revokeInvite')({ params: { inviteId: byOwner.id } }), 'INVITE_NOT_FOUND', 404);
    await rejectsWith(owner.client.endpoint('revokeInvite')({ params: { inviteId: orgInvite.id } }), 'INVITE_NOT_FOUND', 404);
    const revoked = await owner.client.endpoint('revokeInvite')({ params: { inviteId: byAdmin.id } });
    assert.equal(revoked.invite.status, 'revoked');
    await admin().endpoint('revokeInvite')({ params: { inviteId: byOwner.id } });
    const revocations = (await auditOf('invite.revoked')).filter((entry) => [byOwner.id, byAdmin.id].includes(entry.target?.id ?? ''));
    assert.deepEqual(new Set(revocations.map((entry) => entry.actorId)), new Set([owner.user.id, server().admin.user.id]));
  });

  test('expired, revoked and unknown codes get their own errors, in English and Chinese', async () => {
    const expiring = await invite(admin());
    await db().updateTable('invites').set({ expires_at: Date.now() - 1000 }).where('id', '=', expiring.id).execute();
    await rejectsWith(anonymous().endpoint('getInvite')({ params: { code: expiring.code } }), 'INVITE_EXPIRED', 410);
    await rejectsWith(anonymous().endpoint('acceptInvite')({ params: { code: expiring.code }, body: { account: account() } }), 'INVITE_EXPIRED', 410);
    await rejectsWith(anonymous().endpoint('inviteQrSvg')({ params: { code: expiring.code } }), 'INVITE_EXPIRED', 410);
    assert.equal((await admin().endpoint('listInvites')()).invites.find((i) => i.id === expiring.id)?.status, 'expired');

    const revoked = await invite(admin());
    await admin().endpoint('revokeInvite')({ params: { inviteId: revoked.id } });
    const english = await rejectsWith(anonymous().endpoint('acceptInvite')({ params: { code: revoked.code }, body: { account: account() } }), 'INVITE_REVOKED', 410);
    assert.match(english.message, /withdrawn/);
    const chinese = new EnclaveClient({ baseUrl: server().url, locale: 'zh-CN' });
    assert.match((await rejectsWith(chinese.endpoint('getInvite')({ params: { code: revoked.code } }), 'INVITE_REVOKED')).message, /撤销/);
    assert.match((await rejectsWith(chinese.endpoint('getInvite')({ params: { code: expiring.code } }), 'INVITE_EXPIRED')).message, /过期/);
    await rejectsWith(anonymous().endpoint('getInvite')({ params: { code: 'not-a-real-code' } }), 'INVITE_NOT_FOUND', 404);
    await rejectsWith(anonymous().endpoint('inviteQrPng')({ params: { code: `${revoked.code}x` } }), 'INVITE_NOT_FOUND', 404);
  });

  test('with approval required, acceptance waits for an administrator, who approves or rejects it', async () => {
    const orgInvite = await invite(admin(), { requiresApproval: true, maxUses: 3 });
    const chosen = account('waiting');
    const waiting = await anonymous().endpoint('acceptInvite')({ params: { code: orgInvite.code }, body: { account: chosen } });
    assert.deepEqual(waiting, { outcome: 'pending', kind: 'organisation', roomId: null });
    await rejectsWith(anonymous().login(chosen.username, chosen.password), 'INVALID_CREDENTIALS', 401);
    await rejectsWith(anonymous().endpoint('acceptInvite')({ params: { code: orgInvite.code }, body: { account: { ...account(), username: chosen.username } } }), 'USERNAME_TAKEN', 409);

    const owner = await buildUser(server());
    const room = await buildRoom(server(), { owner: owner.client });
    const roomInvite = await invite(owner.client, { roomId: room.id, requiresApproval: true, maxUses: 3 });
    const bob = await buildUser(server());
    assert.equal((await bob.client.endpoint('acceptInvite')({ params: { code: roomInvite.code }, body: {} })).outcome, 'pending');
    assert.equal((await bob.client.endpoint('acceptInvite')({ params: { code: roomInvite.code }, body: {} })).outcome, 'pending', 'asking twice files one request');
    await rejectsWith(bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} }), 'ROOM_NOT_FOUND', 404);
    await rejectsWith(owner.client.endpoint('listInviteRequests')(), 'ADMIN_REQUIRED', 403);

    const { requests } = await admin().endpoint('listInviteRequests')();
    const forOrg = requests.find((r) => r.inviteId === orgInvite.id);
    const forRoom = requests.filter((r) => r.inviteId === roomInvite.id);
    assert.deepEqual([forOrg?.kind, forOrg?.username, forOrg?.displayName, forOrg?.userId, forOrg?.status], ['organisation', chosen.username, chosen.displayName, null, 'pending']);
    assert.equal(forRoom.length, 1);
    assert.deepEqual([forRoom[0]?.userId, forRoom[0]?.room?.name], [bob.user.id, room.name]);
    assert.ok(!JSON.stringify(requests).includes('password'));

    const approved = await admin().endpoint('approveInviteRequest')({ params: { requestId: forOrg!.id } });
    assert.equal(approved.request.status, 'approved');
    const signedIn = await new EnclaveClient({ baseUrl: server().url }).login(chosen.username, chosen.password);
    assert.equal(signedIn.user.id, approved.request.userId);
    await rejectsWith(admin().endpoint('approveInviteRequest')({ params: { requestId: forOrg!.id } }), 'INVITE_REQUEST_DECIDED', 409);
    const stored = await db().selectFrom('invite_requests').select('password_hash').where('id', '=', forOrg!.id).executeTakeFirstOrThrow();
    assert.equal(stored.password_hash, null, 'the password hash is forgotten once decided');

    const rejected = await admin().endpoint('rejectInviteRequest')({ params: { requestId: forRoom[0]!.id } });
    assert.equal(rejected.request.status, 'rejected');
    await rejectsWith(bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} }), 'ROOM_NOT_FOUND', 404);
    const carol = await buildUser(server());
    await carol.client.endpoint('acceptInvite')({ params: { code: roomInvite.code }, body: {} });
    const carolRequest = (await admin().endpoint('listInviteRequests')()).requests.find((r) => r.userId === carol.user.id)!;
    await admin().endpoint('approveInviteRequest')({ params: { requestId: carolRequest.id } });
    assert.ok((await owner.client.endpoint('listMembers')({ params: { roomId: room.id } })).members.some((m) => m.userId === carol.user.id));
    await rejectsWith(admin().endpoint('rejectInviteRequest')({ params: { requestId: 'no-such-request' } }), 'INVITE_REQUEST_NOT_FOUND', 404);

    assert.ok((await auditOf('invite.request_approved')).some((entry) => entry.target?.id === forOrg!.id));
    assert.ok((await auditOf('invite.request_rejected')).some((entry) => entry.target?.id === forRoom[0]!.id));
    assert.deepEqual((await admin().endpoint('listInviteRequests')({ query: { status: 'approved' } })).requests.map((r) => r.id).sort(), [forOrg!.id, carolRequest.id].sort());
  });

  test('the QR endpoints answer a stable SVG and PNG of the invite link', async () => {
    const first = await invite(admin(), { maxUses: 2 });
    const second = await invite(admin(), { maxUses: 2 });
    const svgAnswer = await fetch(`${server().url}/api/v1/invites/${first.code}/qr.svg`);
    assert.equal(svgAnswer.status, 200);
    assert.equal(svgAnswer.headers.get('content-type')?.split(';')[0], 'image/svg+xml');
    const svg = await svgAnswer.text();
    assert.match(svg, /^<svg [^>]*viewBox="0 0 (\d+) \1"/);
    assert.ok(svg.length > 1000);
    assert.equal(await anonymous().endpoint('inviteQrSvg')({ params: { code: first.code } }), svg, 'the same code gives the same picture');
    assert.notEqual(await anonymous().endpoint('inviteQrSvg')({ params: { code: second.code } }), svg);

    const pngAnswer = await fetch(`${server().url}/api/v1/invites/${first.code}/qr.png`);
    assert.equal(pngAnswer.headers.get('content-type'), 'image/png');
    const png = new Uint8Array(await pngAnswer.arrayBuffer());
    assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC);
    assert.ok(png.length > 500);
    const again = await anonymous().endpoint('inviteQrPng')({ params: { code: first.code } });
    assert.ok(again instanceof Uint8Array);
    assert.deepEqual(Buffer.from(again), Buffer.from(png));
  });

  test('fifty wrong invite codes from one address are held back on every invite route, while a clean address still gets in', async () => {
    const owner = await buildUser(server());
    const room = await buildRoom(server(), { owner: owner.client, name: 'Guessed at' });
    const real = await invite(owner.client, { roomId: room.id, maxUses: 5 });
    const wrongCode = () => randomBytes(32).toString('base64url');
    const guesser = '127.0.0.41';
    const answers: RawAnswer[] = [];
    for (let i = 0; i < 50; i += 1) answers.push(await requestFrom(server(), guesser, 'GET', `/api/v1/invites/${wrongCode()}`));
    assert.deepEqual(answers.slice(0, 3).map((a) => a.status), [404, 404, 404], 'the first wrong codes cost nothing');
    const held = answers.filter((a) => a.status === 429);
    const looked = answers.filter((a) => a.status === 404);
    assert.equal(held.length + looked.length, 50);
    // Each wait doubles; only a very slow machine lets more than a few more through between them.
    assert.ok(looked.length <= 8, `${looked.length} of 50 wrong codes were looked up`);
    assert.equal(held[0]?.body.error?.code, 'RATE_LIMITED');
    const retryAfter = held[held.length - 1]?.body.error?.data?.retryAfterSeconds;
    assert.ok(typeof retryAfter === 'number' && retryAfter >= 1 && retryAfter <= 900, `retryAfterSeconds ${String(retryAfter)}`);

    // The count is per address, not per route: accepting and the QR code are guesses too.
    const accept = await requestFrom(server(), guesser, 'POST', `/api/v1/invites/${wrongCode()}/accept`, {});
    const qr = await requestFrom(server(), guesser, 'GET', `/api/v1/invites/${wrongCode()}/qr.svg`);
    assert.deepEqual([accept.status, accept.body.error?.code, qr.status, qr.body.error?.code], [429, 'RATE_LIMITED', 429, 'RATE_LIMITED']);

    // A guess spread over many addresses also fills the shared count, which holds back only addresses that failed.
    for (const address of ['127.0.0.42', '127.0.0.43', '127.0.0.44', '127.0.0.45']) {
      for (let i = 0; i < 12; i += 1) await requestFrom(server(), address, 'GET', `/api/v1/invites/${wrongCode()}`);
    }
    const clean = '127.0.0.46';
    const preview = await requestFrom(server(), clean, 'GET', `/api/v1/invites/${real.code}`);
    assert.deepEqual([preview.status, (preview.body.invite as { roomName?: string } | undefined)?.roomName], [200, 'Guessed at']);
    const bob = await buildUser(server());
    const joined = await requestFrom(server(), clean, 'POST', `/api/v1/invites/${real.code}/accept`, {}, bob.client.currentToken);
    assert.deepEqual([joined.status, joined.body.outcome], [200, 'joined']);
    assert.ok((await bob.client.endpoint('listRooms')()).rooms.some((r) => r.id === room.id));
  });
});
