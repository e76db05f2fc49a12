import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnclaveClient } from '@enclave/sdk';
import { verifyAuditLog } from '../src/index';
import { describeEachBackend } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

describeEachBackend('audit log', (server) => {
  test('records sign-ins, failed sign-ins, user and role changes and membership changes', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    await new EnclaveClient({ baseUrl: server().url }).login(alice.username, 'wrong password').catch(() => undefined);
    await server().admin.client.endpoint('updateUser')({ params: { userId: bob.user.id }, body: { role: 'admin' } });
    const room = await buildRoom(server(), { owner: alice.client });
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [bob.user.id] } });
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    const rows = await server().running.database.db.selectFrom('audit_log').select(['action', 'actor_id', 'target_id', 'data']).orderBy('seq').execute();
    const has = (action: string, predicate: (row: (typeof rows)[number]) => boolean = () => true) => rows.some((row) => row.action === action && predicate(row));
    assert.ok(has('user.created', (r) => r.target_id === alice.user.id));
    assert.ok(has('auth.login', (r) => r.actor_id === alice.user.id));
    assert.ok(has('auth.login_failed', (r) => r.target_id === alice.user.id));
    assert.ok(has('user.updated', (r) => r.target_id === bob.user.id && JSON.parse(r.data).role.to === 'admin'));
    assert.ok(has('room.created', (r) => r.target_id === room.id));
    assert.ok(has('room.members_added', (r) => JSON.parse(r.data).userIds.includes(bob.user.id)));
    assert.ok(has('room.member_removed', (r) => JSON.parse(r.data).userId === bob.user.id));
    for (const row of rows) assert.ok(!row.data.includes(alice.password), 'no password in the audit log');
  });

  test('the hash chain verifies, and tampering is pinpointed to the first altered entry', async () => {
    await buildUser(server());
    const db = server().running.database.db;
    const intact = await verifyAuditLog(db);
    assert.equal(intact.ok, true);
    assert.ok(intact.entries >= 2);
    const victim = await db.selectFrom('audit_log').select(['seq', 'data']).orderBy('seq').offset(1).limit(1).executeTakeFirstOrThrow();
    await db.updateTable('audit_log').set({ data: '{"forged":true}' }).where('seq', '=', victim.seq).execute();
    const broken = await verifyAuditLog(db);
    assert.equal(broken.ok, false);
    assert.deepEqual(broken.firstBreak, { seq: Number(victim.seq), reason: 'hash-mismatch' });
    await db.updateTable('audit_log').set({ data: victim.data }).where('seq', '=', victim.seq).execute();
    assert.equal((await verifyAuditLog(db)).ok, true);
  });

  test('a deleted entry shows as a gap in the sequence', async () => {
    await buildUser(server());
    const db = server().running.database.db;
    const last = await db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const second = await db.selectFrom('audit_log').selectAll().orderBy('seq').offset(1).limit(1).executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('seq', '=', second.seq).execute();
    const result = await verifyAuditLog(db);
    assert.deepEqual(result.firstBreak, { seq: Number(second.seq), reason: 'sequence-gap' });
    await db.insertInto('audit_log').values(second).execute();
    assert.equal((await verifyAuditLog(db)).ok, true);
    assert.ok(Number(last.seq) > Number(second.seq));
  });
});
