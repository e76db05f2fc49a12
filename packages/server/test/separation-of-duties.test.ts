import assert from 'node:assert/strict';
import { test } from 'node:test';
import { streamCloseCodes, type Role } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser } from '@enclave/testkit';
import WebSocket from 'ws';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream, type TestServer } from './harness';

/**
 * Issue 15's four routes by which an admin read conversations they were not in, each tried end to end as a
 * modified client would, and the approval rules that close them: no one approves their own request, from any
 * session, or through an admin account made after they asked.
 */
describeEachBackend('separation of duties', (server) => {
  const admin = () => server().admin.client;

  test('route 1: an admin who invites themselves into a private group reads nothing until an owner approves, and the room sees it', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'the plan before the admin came' } });
    const { invite } = await admin().endpoint('createInvite')({ body: { roomId: room.id, maxUses: 2 } });
    const accepted = await admin().endpoint('acceptInvite')({ params: { code: invite.code }, body: {} });
    assert.equal(accepted.outcome, 'pending', 'the invite admits no one by itself');
    await rejectsWith(admin().endpoint('listMessages')({ params: { roomId: room.id } }), 'ROOM_NOT_FOUND', 404);
    // Following the link again files nothing new, takes no second use and lets no one in.
    assert.equal((await admin().endpoint('acceptInvite')({ params: { code: invite.code }, body: {} })).outcome, 'pending');
    assert.equal((await admin().endpoint('listInvites')({ query: { roomId: room.id } })).invites[0]?.uses, 1);
    const pending = (await admin().endpoint('listApprovals')({ query: { status: 'pending' } })).approvals.filter((a) => a.details.kind === 'room-admission' && a.details.room.id === room.id);
    assert.equal(pending.length, 1);
    const approval = pending[0]!;
    assert.equal(approval.mayDecide, false);
    // The admin's own approval, from this or a second session, is refused; so is a member who is not an owner.
    await rejectsWith(admin().endpoint('approveApproval')({ params: { approvalId: approval.id } }), 'APPROVAL_OWN_REQUEST', 403);
    const secondSession = new EnclaveClient({ baseUrl: server().url });
    await secondSession.login(server().admin.username, server().admin.password);
    await rejectsWith(secondSession.endpoint('approveApproval')({ params: { approvalId: approval.id } }), 'APPROVAL_OWN_REQUEST', 403);
    await rejectsWith(bob.client.endpoint('approveApproval')({ params: { approvalId: approval.id } }), 'APPROVAL_NOT_FOUND', 404);
    const ownerView = (await alice.client.endpoint('listApprovals')({ query: { status: 'pending' } })).approvals.find((a) => a.id === approval.id);
    assert.equal(ownerView?.mayDecide, true, 'the owner sees the request and may decide it');
    assert.equal(ownerView?.details.kind === 'room-admission' && ownerView.details.person.id, server().admin.user.id);
    const live = await openStream(bob.client);
    const decided = await alice.client.endpoint('approveApproval')({ params: { approvalId: approval.id } });
    assert.equal(decided.approval.status, 'approved');
    assert.equal(decided.approval.decidedBy?.id, alice.user.id);
    await live.waitFor(
      (events) => events.some((e) => e.type === 'room.member_added' && e.userIds.includes(server().admin.user.id) && e.admission?.invitedBy === server().admin.user.id && e.admission.approvedBy === alice.user.id),
      'the members see who joined, by whose invite, approved by whom',
    );
    live.close();
    const history = await admin().endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(history.messages.map((m) => m.text), ['the plan before the admin came'], 'once approved, the admin is an ordinary member');
    await rejectsWith(alice.client.endpoint('approveApproval')({ params: { approvalId: approval.id } }), 'APPROVAL_DECIDED', 409);
    const audit = await actionsOn(server(), approval.id);
    assert.deepEqual(audit, ['approval.requested', 'approval.approved']);
  });

  test("route 1's other doors: adding oneself, joining a group as a channel, an invite for someone else, and an admin approving their own invite request", async () => {
    const alice = await buildUser(server());
    const carol = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    await rejectsWith(admin().endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [server().admin.user.id] } }), 'ROOM_NOT_FOUND', 404);
    await rejectsWith(admin().endpoint('joinChannel')({ params: { roomId: room.id } }), 'ROOM_NOT_FOUND', 404);
    await rejectsWith(admin().endpoint('updateRoom')({ params: { roomId: room.id }, body: { topic: 'mine now' } }), 'ROOM_NOT_FOUND', 404);
    // An admin's invite for a colleague waits for the owner too: an accomplice is no way round it.
    const { invite } = await admin().endpoint('createInvite')({ body: { roomId: room.id } });
    assert.equal((await carol.client.endpoint('acceptInvite')({ params: { code: invite.code }, body: {} })).outcome, 'pending');
    await rejectsWith(carol.client.endpoint('listMessages')({ params: { roomId: room.id } }), 'ROOM_NOT_FOUND', 404);
    const request = (await alice.client.endpoint('listApprovals')({ query: { status: 'pending' } })).approvals.find((a) => a.details.kind === 'room-admission' && a.details.room.id === room.id)!;
    await rejectsWith(carol.client.endpoint('approveApproval')({ params: { approvalId: request.id } }), 'APPROVAL_OWN_REQUEST', 403);
    await alice.client.endpoint('rejectApproval')({ params: { approvalId: request.id } });
    await rejectsWith(carol.client.endpoint('listMessages')({ params: { roomId: room.id } }), 'ROOM_NOT_FOUND', 404);
    // An owner's own invite asking for an administrator's approval: the admin who accepted it cannot approve it.
    const owned = await alice.client.endpoint('createInvite')({ body: { roomId: room.id, requiresApproval: true } });
    assert.equal((await admin().endpoint('acceptInvite')({ params: { code: owned.invite.code }, body: {} })).outcome, 'pending');
    const { requests } = await admin().endpoint('listInviteRequests')({ query: { status: 'pending' } });
    const mine = requests.find((r) => r.userId === server().admin.user.id)!;
    await rejectsWith(admin().endpoint('approveInviteRequest')({ params: { requestId: mine.id } }), 'APPROVAL_OWN_REQUEST', 403);
    await rejectsWith(admin().endpoint('listMessages')({ params: { roomId: room.id } }), 'ROOM_NOT_FOUND', 404);
  });

  test("an owner's own invite into their group admits at once, and channels stay open to join", async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const group = await buildRoom(server(), { owner: alice.client });
    const { invite } = await alice.client.endpoint('createInvite')({ body: { roomId: group.id } });
    assert.equal((await bob.client.endpoint('acceptInvite')({ params: { code: invite.code }, body: {} })).outcome, 'joined');
    const channel = await buildRoom(server(), { owner: alice.client, kind: 'channel' });
    await admin().endpoint('joinChannel')({ params: { roomId: channel.id } });
    await admin().endpoint('listMessages')({ params: { roomId: channel.id } });
  });

  test('route 2: an admin cannot export a DM they are not in; an officer can, and deletion needs that export or a policy without archives', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const officer = await buildUser(server(), { role: 'compliance' });
    const { room: dm } = await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [bob.user.id] } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: dm.id }, body: { text: 'just between us' } });
    await admin().endpoint('freezeRoom')({ params: { roomId: dm.id }, body: { reason: 'closing' } });
    await rejectsWith(admin().endpoint('exportRoom')({ params: { roomId: dm.id }, query: { format: 'jsonl' } }), 'EXPORT_NEEDS_COMPLIANCE', 403);
    await rejectsWith(alice.client.endpoint('exportRoom')({ params: { roomId: dm.id }, query: { format: 'jsonl' } }), 'ADMIN_REQUIRED', 403);
    await rejectsWith(admin().endpoint('deleteRoom')({ params: { roomId: dm.id } }), 'ROOM_NOT_ARCHIVED', 409);
    await admin().endpoint('unfreezeRoom')({ params: { roomId: dm.id } });
    await rejectsWith(admin().endpoint('exportRoom')({ params: { roomId: dm.id }, query: { format: 'jsonl' } }), 'EXPORT_NEEDS_COMPLIANCE', 403);
    await admin().endpoint('freezeRoom')({ params: { roomId: dm.id }, body: { reason: 'closing again' } });
    const exported = await officer.client.endpoint('exportRoom')({ params: { roomId: dm.id }, query: { format: 'jsonl' } });
    assert.match(exported, /just between us/);
    const { certificate } = await admin().endpoint('deleteRoom')({ params: { roomId: dm.id } });
    assert.equal(certificate.archive?.basis, 'officer-export');
    assert.equal(certificate.archive?.basis === 'officer-export' && certificate.archive.exportedBy, officer.user.id);

    // An export taken before the latest freeze does not count: the room may have changed since.
    const group = await buildRoom(server(), { owner: alice.client });
    await admin().endpoint('freezeRoom')({ params: { roomId: group.id }, body: { reason: 'first' } });
    await officer.client.endpoint('exportRoom')({ params: { roomId: group.id }, query: { format: 'html' } });
    await admin().endpoint('unfreezeRoom')({ params: { roomId: group.id } });
    await admin().endpoint('freezeRoom')({ params: { roomId: group.id }, body: { reason: 'second' } });
    await rejectsWith(admin().endpoint('bulkDeleteRooms')({ body: { roomIds: [group.id] } }), 'ROOM_NOT_ARCHIVED', 409);
    await admin().endpoint('updateAdminSettings')({ body: { archiveBeforeRoomDeletion: false } });
    try {
      const bulk = await admin().endpoint('bulkDeleteRooms')({ body: { roomIds: [group.id] } });
      assert.deepEqual(bulk.certificates[0]?.archive, { basis: 'not-required' }, 'the certificate says no archive was required');
    } finally {
      await admin().endpoint('updateAdminSettings')({ body: { archiveBeforeRoomDeletion: true } });
    }
  });

  test('route 3: a password an admin sets opens only a password change, and its owner sees who reset it and when', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const { room: dm } = await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [bob.user.id] } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: dm.id }, body: { text: 'private words' } });
    const adminSet = 'set-by-the-admin-7Qx9';
    await admin().endpoint('resetPassword')({ params: { userId: alice.user.id }, body: { password: adminSet } });
    const impostor = new EnclaveClient({ baseUrl: server().url });
    const login = await impostor.login(alice.username, adminSet);
    assert.equal(login.passwordChangeRequired, true);
    await rejectsWith(impostor.endpoint('listRooms')(), 'PASSWORD_CHANGE_REQUIRED', 403);
    await rejectsWith(impostor.endpoint('listMessages')({ params: { roomId: dm.id } }), 'PASSWORD_CHANGE_REQUIRED', 403);
    await rejectsWith(impostor.endpoint('search')({ query: { q: 'private' } }), 'PASSWORD_CHANGE_REQUIRED', 403);
    await rejectsWith(impostor.endpoint('mySecurityLog')(), 'PASSWORD_CHANGE_REQUIRED', 403);
    const socket = new WebSocket(`${server().url.replace('http', 'ws')}/api/v1/stream?token=${impostor.currentToken}`);
    const closed = await new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    assert.equal(closed, streamCloseCodes.unauthenticated, 'no stream either');
    // Alice changes it, as the sign-in makes her, and her log names the admin and the time.
    await impostor.endpoint('changeMyPassword')({ body: { currentPassword: adminSet, newPassword: 'alice-chose-this-4Kp2' } });
    const { events } = await impostor.endpoint('mySecurityLog')();
    const reset = events.find((e) => e.kind === 'password-reset-by-admin');
    assert.equal(reset?.actor?.id, server().admin.user.id);
    assert.ok(reset && Date.now() - Date.parse(reset.at) < 60_000);
    assert.ok(events.some((e) => e.kind === 'sign-in'));
    assert.ok(events.some((e) => e.kind === 'password-changed'));
    // The log is hers alone: it lists nothing about Bob.
    const bobs = await bob.client.endpoint('mySecurityLog')();
    assert.ok(!bobs.events.some((e) => e.kind === 'password-reset-by-admin'));
  });

  test("route 3 for the powerful: an admin's reset of an officer's password waits for a second admin, and the officer's log names both", async () => {
    const second = await independentAdmin(server());
    const officer = await madeAtCommandLine(server(), 'compliance');
    const adminSet = 'the-admin-knows-this-5Rt';
    const filed = await rejectsWith(admin().endpoint('resetPassword')({ params: { userId: officer.user.id }, body: { password: adminSet } }), 'APPROVAL_PENDING', 409);
    const approvalId = (filed.data as { approvalId: string }).approvalId;
    // Nothing changed: the officer keeps their password and session, and the admin's password opens nothing.
    await officer.client.endpoint('listRooms')();
    await new EnclaveClient({ baseUrl: server().url }).login(officer.username, officer.password);
    await rejectsWith(new EnclaveClient({ baseUrl: server().url }).login(officer.username, adminSet), 'INVALID_CREDENTIALS', 401);
    // The request names the officer and their role; the password travels nowhere, not even hashed, and is stored only as a hash.
    const { approvals } = await second.client.endpoint('listApprovals')({ query: { status: 'pending' } });
    const request = approvals.find((a) => a.id === approvalId);
    assert.deepEqual(request?.details, { kind: 'password-reset', person: { id: officer.user.id, username: officer.username, displayName: officer.user.displayName }, role: 'compliance' });
    assert.equal(request?.mayDecide, true);
    assert.ok(!JSON.stringify(approvals).includes('scrypt') && !JSON.stringify(approvals).includes(adminSet));
    const stored = await server().running.database.db.selectFrom('approvals').select('payload').where('id', '=', approvalId).executeTakeFirstOrThrow();
    assert.ok(!stored.payload.includes(adminSet) && stored.payload.includes('"passwordHash":"scrypt$'), 'stored as its hash only');
    const audited = await server().running.database.db.selectFrom('audit_log').select('data').where('target_id', '=', approvalId).execute();
    assert.ok(audited.length > 0 && audited.every((row) => !row.data.includes('scrypt') && !row.data.includes(adminSet)), 'the audit log holds neither');
    // The requester cannot approve it from any session; the officer finds no such request; a member's reset is immediate.
    await rejectsWith(admin().endpoint('approveApproval')({ params: { approvalId } }), 'APPROVAL_OWN_REQUEST', 403);
    const secondSession = new EnclaveClient({ baseUrl: server().url });
    await secondSession.login(server().admin.username, server().admin.password);
    await rejectsWith(secondSession.endpoint('approveApproval')({ params: { approvalId } }), 'APPROVAL_OWN_REQUEST', 403);
    await rejectsWith(officer.client.endpoint('approveApproval')({ params: { approvalId } }), 'APPROVAL_OWN_REQUEST', 403);
    const member = await buildUser(server());
    await admin().endpoint('resetPassword')({ params: { userId: member.user.id }, body: { password: 'member-temporary-8Wq' } });
    assert.equal((await new EnclaveClient({ baseUrl: server().url }).login(member.username, 'member-temporary-8Wq')).passwordChangeRequired, true);

    assert.equal((await second.client.endpoint('approveApproval')({ params: { approvalId } })).approval.status, 'approved');
    await rejectsWith(officer.client.endpoint('listRooms')(), 'UNAUTHENTICATED', 401);
    await rejectsWith(new EnclaveClient({ baseUrl: server().url }).login(officer.username, officer.password), 'INVALID_CREDENTIALS', 401);
    const officerAgain = new EnclaveClient({ baseUrl: server().url });
    assert.equal((await officerAgain.login(officer.username, adminSet)).passwordChangeRequired, true, 'the password opens only a password change');
    await rejectsWith(officerAgain.endpoint('listRooms')(), 'PASSWORD_CHANGE_REQUIRED', 403);
    await officerAgain.endpoint('changeMyPassword')({ body: { currentPassword: adminSet, newPassword: 'officer-chose-this-3Lm' } });
    await rejectsWith(new EnclaveClient({ baseUrl: server().url }).login(officer.username, adminSet), 'INVALID_CREDENTIALS', 401);
    const reset = (await officerAgain.endpoint('mySecurityLog')()).events.find((e) => e.kind === 'password-reset-by-admin');
    assert.equal(reset?.actor?.id, server().admin.user.id, 'the admin who set it');
    assert.equal(reset?.approvedBy?.id, second.user.id, 'the admin who approved it');
    assert.equal(reset?.sessionsEnded, 2, 'the session it held and the one that checked its old password');
    assert.deepEqual(await actionsOn(server(), approvalId), ['approval.requested', 'approval.approved']);
  });

  test("an admin's password reset is decided by neither that admin nor the requester, and resetting one's own waits too", async () => {
    const second = await independentAdmin(server());
    const third = await independentAdmin(server());
    const filed = await rejectsWith(admin().endpoint('resetPassword')({ params: { userId: second.user.id }, body: { password: 'for-the-second-admin-2Vb' } }), 'APPROVAL_PENDING', 409);
    const approvalId = (filed.data as { approvalId: string }).approvalId;
    await rejectsWith(second.client.endpoint('approveApproval')({ params: { approvalId } }), 'APPROVAL_OWN_REQUEST', 403);
    await rejectsWith(second.client.endpoint('rejectApproval')({ params: { approvalId } }), 'APPROVAL_OWN_REQUEST', 403);
    assert.equal((await third.client.endpoint('rejectApproval')({ params: { approvalId } })).approval.status, 'rejected');
    await second.client.endpoint('listRooms')();
    // One's own password through the admin route: a stolen session could otherwise swap it for one its thief knows.
    const own = await rejectsWith(admin().endpoint('resetPassword')({ params: { userId: server().admin.user.id }, body: { password: 'my-own-new-password-6Hd' } }), 'APPROVAL_PENDING', 409);
    await admin().endpoint('listRooms')();
    assert.equal((await admin().endpoint('cancelApproval')({ params: { approvalId: (own.data as { approvalId: string }).approvalId } })).approval.status, 'cancelled');
  });

  test('an expired request is written down as expired once, audited, and can never be approved', async () => {
    const second = await independentAdmin(server());
    const officer = await madeAtCommandLine(server(), 'compliance');
    const filed = await rejectsWith(admin().endpoint('resetPassword')({ params: { userId: officer.user.id }, body: { password: 'too-late-to-approve-4Ns' } }), 'APPROVAL_PENDING', 409);
    const approvalId = (filed.data as { approvalId: string }).approvalId;
    const db = server().running.database.db;
    await db.updateTable('approvals').set({ expires_at: Date.now() - 1000 }).where('id', '=', approvalId).execute();
    await rejectsWith(second.client.endpoint('approveApproval')({ params: { approvalId } }), 'APPROVAL_DECIDED', 409);
    assert.equal((await db.selectFrom('approvals').select('status').where('id', '=', approvalId).executeTakeFirstOrThrow()).status, 'expired', 'stored as expired');
    // Reading again, and trying every other door, writes nothing more.
    await rejectsWith(second.client.endpoint('rejectApproval')({ params: { approvalId } }), 'APPROVAL_DECIDED', 409);
    await rejectsWith(admin().endpoint('cancelApproval')({ params: { approvalId } }), 'APPROVAL_DECIDED', 409);
    assert.ok(!(await second.client.endpoint('listApprovals')({ query: { status: 'pending' } })).approvals.some((a) => a.id === approvalId));
    const expired = (await second.client.endpoint('listApprovals')({ query: { status: 'expired' } })).approvals.find((a) => a.id === approvalId);
    assert.equal(expired?.status, 'expired');
    assert.equal(expired?.mayDecide, false);
    assert.deepEqual(await actionsOn(server(), approvalId), ['approval.requested', 'approval.expired']);
    // Moved back into its lifetime by hand, the stored status still holds: it stays expired.
    await db.updateTable('approvals').set({ expires_at: Date.now() + 86_400_000 }).where('id', '=', approvalId).execute();
    await rejectsWith(second.client.endpoint('approveApproval')({ params: { approvalId } }), 'APPROVAL_DECIDED', 409);
    await new EnclaveClient({ baseUrl: server().url }).login(officer.username, officer.password);
  });

  test('route 4: with a second admin, granting oneself compliance waits for them, and a review rule that sees everything waits for a second approver', async () => {
    const second = await independentAdmin(server());
    const me = server().admin;
    await rejectsWith(admin().endpoint('updateUser')({ params: { userId: me.user.id }, body: { role: 'compliance' } }), 'APPROVAL_PENDING', 409);
    assert.equal((await admin().endpoint('getUser')({ params: { userId: me.user.id } })).user.role, 'admin', 'nothing changed yet');
    const grant = (await second.client.endpoint('listApprovals')({ query: { status: 'pending' } })).approvals.find((a) => a.details.kind === 'role-grant' && a.details.person.id === me.user.id)!;
    assert.equal(grant.mayDecide, true);
    await rejectsWith(admin().endpoint('approveApproval')({ params: { approvalId: grant.id } }), 'APPROVAL_OWN_REQUEST', 403);
    // An account the requester creates as an admin now is no second person: it waits, and could not decide anyway.
    const made = await rejectsWith(admin().endpoint('createUser')({ body: { username: `puppet-${Date.now()}`, password: 'puppet-password-1x', displayName: 'Puppet', role: 'admin' } }), 'APPROVAL_PENDING', 409);
    const puppetId = (made.data as { userId: string }).userId;
    assert.equal((await admin().endpoint('getUser')({ params: { userId: puppetId } })).user.role, 'member');
    await rejectsWith(admin().endpoint('rejectApproval')({ params: { approvalId: grant.id } }), 'APPROVAL_OWN_REQUEST', 403);
    assert.equal((await second.client.endpoint('rejectApproval')({ params: { approvalId: grant.id } })).approval.status, 'rejected');
    assert.equal((await admin().endpoint('getUser')({ params: { userId: me.user.id } })).user.role, 'admin');
    // The review rule with a match-everything pattern, scoped to one group: filed, not saved.
    const alice = await buildUser(server());
    const group = await buildRoom(server(), { owner: alice.client });
    const everything = await rejectsWith(
      admin().endpoint('createDlpRule')({ body: { name: 'read all', detector: { kind: 'regex', pattern: '[\\s\\S]' }, scope: { roomIds: [group.id] }, action: 'review' } }),
      'APPROVAL_PENDING',
      409,
    );
    assert.deepEqual((everything.data as { reasons: string[] }).reasons.sort(), ['matches-everything', 'single-conversation']);
    assert.ok(!(await admin().endpoint('listDlpRules')()).rules.some((r) => r.name === 'read all'));
  });

  test('a role grant is decided only by an admin who was one when it was asked for', async () => {
    const second = await independentAdmin(server());
    const member = await buildUser(server());
    await rejectsWith(admin().endpoint('updateUser')({ params: { userId: member.user.id }, body: { role: 'compliance' } }), 'APPROVAL_PENDING', 409);
    const early = await pendingGrantFor(second.client, member.user.id);
    // A third admin, approved after the request was filed, cannot decide it.
    const third = await buildUser(server());
    await rejectsWith(admin().endpoint('updateUser')({ params: { userId: third.user.id }, body: { role: 'admin' } }), 'APPROVAL_PENDING', 409);
    await second.client.endpoint('approveApproval')({ params: { approvalId: (await pendingGrantFor(second.client, third.user.id)).id } });
    const thirdAgain = new EnclaveClient({ baseUrl: server().url });
    await thirdAgain.login(third.username, third.password);
    await rejectsWith(thirdAgain.endpoint('approveApproval')({ params: { approvalId: early.id } }), 'APPROVAL_NOT_ELIGIBLE', 403);
    // The person being promoted cannot decide it either, and a member finds no such request.
    await rejectsWith(member.client.endpoint('approveApproval')({ params: { approvalId: early.id } }), 'APPROVAL_OWN_REQUEST', 403);
    const approved = await second.client.endpoint('approveApproval')({ params: { approvalId: early.id } });
    assert.equal(approved.approval.status, 'approved');
    assert.equal((await admin().endpoint('getUser')({ params: { userId: member.user.id } })).user.role, 'compliance');
    const memberLog = new EnclaveClient({ baseUrl: server().url });
    await memberLog.login(member.username, member.password);
    const roleChange = (await memberLog.endpoint('mySecurityLog')()).events.find((e) => e.kind === 'role-changed');
    assert.deepEqual(roleChange?.role, { from: 'member', to: 'compliance' });
    assert.equal(roleChange?.actor?.id, second.user.id, 'the log names the admin who approved the change');
  });

  test('a requester may withdraw a pending request; no one else may', async () => {
    const second = await independentAdmin(server());
    const member = await buildUser(server());
    await rejectsWith(admin().endpoint('updateUser')({ params: { userId: member.user.id }, body: { role: 'admin' } }), 'APPROVAL_PENDING', 409);
    const request = await pendingGrantFor(second.client, member.user.id);
    await rejectsWith(second.client.endpoint('cancelApproval')({ params: { approvalId: request.id } }), 'APPROVAL_NOT_FOUND', 404);
    const cancelled = await admin().endpoint('cancelApproval')({ params: { approvalId: request.id } });
    assert.equal(cancelled.approval.status, 'cancelled');
    await rejectsWith(second.client.endpoint('approveApproval')({ params: { approvalId: request.id } }), 'APPROVAL_DECIDED', 409);
    assert.equal((await admin().endpoint('getUser')({ params: { userId: member.user.id } })).user.role, 'member');
  });

  test('DLP review rules that see everything or one conversation need a second approver; ordinary ones do not', async () => {
    // Admins independent of the first exist by now, so an officer made by the first would wait: the command line makes one.
    const officer = await madeAtCommandLine(server(), 'compliance');
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const { room: dm } = await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [bob.user.id] } });
    const broad = [
      { kind: 'regex' as const, pattern: '.' },
      { kind: 'regex' as const, pattern: '.*' },
      { kind: 'regex' as const, pattern: '\\w|\\W' },
      { kind: 'keywords' as const, words: ['the', 'I', 'you', '好', '的', 'a'] },
    ];
    for (const detector of broad) {
      const refused = await rejectsWith(admin().endpoint('createDlpRule')({ body: { name: `broad ${JSON.stringify(detector)}`, detector, action: 'review' } }), 'APPROVAL_PENDING', 409);
      assert.deepEqual((refused.data as { reasons: string[] }).reasons, ['matches-everything'], JSON.stringify(detector));
    }
    const narrow = await rejectsWith(
      admin().endpoint('createDlpRule')({ body: { name: 'watch one DM', detector: { kind: 'keywords', words: ['merger'] }, scope: { roomIds: [dm.id] }, action: 'review' } }),
      'APPROVAL_PENDING',
      409,
    );
    assert.deepEqual((narrow.data as { reasons: string[] }).reasons, ['single-conversation']);
    // Everywhere, a real detector, or another action: saved at once.
    const { rule } = await admin().endpoint('createDlpRule')({ body: { name: 'cards for review', detector: { kind: 'builtin', id: 'bank-card' }, action: 'review' } });
    await admin().endpoint('createDlpRule')({ body: { name: 'block everything in one DM', detector: { kind: 'regex', pattern: '[\\s\\S]' }, scope: { roomIds: [dm.id] }, action: 'block', enabled: false } });
    // Updating a rule into that shape waits too, and leaves the rule as it was.
    await rejectsWith(admin().endpoint('updateDlpRule')({ params: { ruleId: rule.id }, body: { detector: { kind: 'regex', pattern: '[\\s\\S]' } } }), 'APPROVAL_PENDING', 409);
    assert.deepEqual((await admin().endpoint('listDlpRules')()).rules.find((r) => r.id === rule.id)?.detector, { kind: 'builtin', id: 'bank-card' });
    // The officer approves the DM rule: it is saved as it was asked for, and the admin could not approve it.
    const approvalId = (narrow.data as { approvalId: string }).approvalId;
    await rejectsWith(admin().endpoint('approveApproval')({ params: { approvalId } }), 'APPROVAL_OWN_REQUEST', 403);
    await officer.client.endpoint('approveApproval')({ params: { approvalId } });
    const saved = (await admin().endpoint('listDlpRules')()).rules.find((r) => r.name === 'watch one DM');
    assert.deepEqual(saved?.scope, { roomIds: [dm.id] });
    assert.equal(saved?.action, 'review');
  });
});

/** The installation as most organisations get their second administrator: the first one makes them, through the API. */
describeEachBackend('separation of duties once the first admin has made a second', (server) => {
  // Runs first, while the installation's only admin is alone: there is no one to ask.
  test("a sole admin's reset of an officer's password is made at once, as the first installation needs", async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    assert.equal(officer.user.role, 'compliance');
    await server().admin.client.endpoint('resetPassword')({ params: { userId: officer.user.id }, body: { password: 'sole-admin-set-this-7Yc' } });
    assert.equal((await new EnclaveClient({ baseUrl: server().url }).login(officer.username, 'sole-admin-set-this-7Yc')).passwordChangeRequired, true);
    await rejectsWith(officer.client.endpoint('listRooms')(), 'UNAUTHENTICATED', 401);
  });

  test("route 4 from a fresh installation: the second admin the first one made must approve the first one's grant of compliance to themselves", async () => {
    const first = server().admin;
    const second = await buildUser(server(), { role: 'admin' });
    assert.equal(second.user.role, 'admin', "the first installation's second admin is made at once: there was no one else to ask");
    await rejectsWith(first.client.endpoint('updateUser')({ params: { userId: first.user.id }, body: { role: 'compliance' } }), 'APPROVAL_PENDING', 409);
    assert.equal((await first.client.endpoint('getUser')({ params: { userId: first.user.id } })).user.role, 'admin', 'nothing changed yet');
    const officerRequest = await rejectsWith(
      first.client.endpoint('createUser')({ body: { username: `officer-${Date.now()}`, password: 'officer-password-9Qz', displayName: 'New officer', role: 'compliance' } }),
      'APPROVAL_PENDING',
      409,
    );
    const grant = await pendingGrantFor(second.client, first.user.id);
    await rejectsWith(first.client.endpoint('approveApproval')({ params: { approvalId: grant.id } }), 'APPROVAL_OWN_REQUEST', 403);
    assert.equal((await second.client.endpoint('approveApproval')({ params: { approvalId: grant.id } })).approval.status, 'approved');
    assert.equal((await second.client.endpoint('getUser')({ params: { userId: first.user.id } })).user.role, 'compliance', 'the second admin decided it');
    const officerId = (officerRequest.data as { userId: string }).userId;
    assert.equal((await second.client.endpoint('getUser')({ params: { userId: officerId } })).user.role, 'member', 'the new account waits as a member');
  });
});

/**
 * A second admin who is no one's creature: made at the command line (no one signed in), as an installation's
 * second administrator would be.
 */
function independentAdmin(server: TestServer): Promise<{ user: { id: string }; client: EnclaveClient }> {
  return madeAtCommandLine(server, 'admin');
}

async function madeAtCommandLine(server: TestServer, role: Role): Promise<{ user: { id: string; displayName: string }; username: string; password: string; client: EnclaveClient }> {
  const username = `cli-${role}-${Math.random().toString(36).slice(2, 8)}`;
  const password = `pw-${Math.random().toString(36).slice(2)}-Zx`;
  const user = await server.running.services.users.createUser({ userId: null, ip: null }, { username, password, displayName: `Made at the command line`, role });
  const client = new EnclaveClient({ baseUrl: server.url });
  await client.login(username, password);
  return { user, username, password, client };
}

async function pendingGrantFor(client: EnclaveClient, userId: string) {
  const { approvals } = await client.endpoint('listApprovals')({ query: { status: 'pending' } });
  const found = approvals.find((a) => a.details.kind === 'role-grant' && a.details.person.id === userId);
  assert.ok(found, `a pending grant for ${userId}`);
  return found;
}

async function actionsOn(server: TestServer, approvalId: string): Promise<string[]> {
  const rows = await server.running.database.db.selectFrom('audit_log').select('action').where('target_id', '=', approvalId).orderBy('seq').execute();
  return rows.map((row) => row.action);
}
