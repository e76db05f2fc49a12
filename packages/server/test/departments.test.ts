import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend, type TestServer } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { requestFrom } from './from-address';

async function createDepartment(server: TestServer, name: string, parentId?: string) {
  return (await server.admin.client.endpoint('createDepartment')({ body: { name, ...(parentId ? { parentId } : {}) } })).department;
}

describeEachBackend('departments', (server) => {
  test('an admin builds a tree; everyone reads it as a flat list with parents and member counts', async () => {
    const engineering = await createDepartment(server(), 'Engineering');
    const backend = await createDepartment(server(), 'Backend', engineering.id);
    const member = await buildUser(server());
    const { departments } = await member.client.endpoint('listDepartments')();
    const byId = new Map(departments.map((d) => [d.id, d]));
    assert.equal(byId.get(engineering.id)?.parentId, null);
    assert.equal(byId.get(backend.id)?.parentId, engineering.id);
    assert.equal(byId.get(backend.id)?.memberCount, 0);
    await rejectsWith(member.client.endpoint('createDepartment')({ body: { name: 'Mine' } }), 'ADMIN_REQUIRED', 403);
    await rejectsWith(server().admin.client.endpoint('createDepartment')({ body: { name: 'Orphan', parentId: 'no-such-department' } }), 'DEPARTMENT_NOT_FOUND', 404);
  });

  test('a guest reads no department tree, no head counts and no one else\'s departments, by any route', async () => {
    const secretUnit = await createDepartment(server(), 'Acquisitions task force');
    const owner = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    await server().admin.client.endpoint('setUserDepartments')({ params: { userId: owner.user.id }, body: { departmentIds: [secretUnit.id] } });
    const room = await buildRoom(server(), { owner: owner.client, members: [guest.user] });

    // A member sees the tree, the head count and the owner's department: what the guest must not.
    const asMember = (await owner.client.endpoint('listDepartments')()).departments.find((d) => d.id === secretUnit.id);
    assert.equal(asMember?.memberCount, 1);
    assert.deepEqual((await owner.client.endpoint('getUser')({ params: { userId: owner.user.id } })).user.departmentIds, [secretUnit.id]);

    const tree = await requestFrom(server(), '127.0.0.1', 'GET', '/api/v1/departments', undefined, guest.client.currentToken);
    assert.equal(tree.status, 200);
    assert.deepEqual(tree.body, { departments: [] });
    const profile = (await guest.client.endpoint('getUser')({ params: { userId: owner.user.id } })).user;
    assert.deepEqual(profile.departmentIds, []);
    const directory = (await guest.client.endpoint('listUsers')({ query: {} })).users;
    assert.deepEqual(directory.find((u) => u.id === owner.user.id)?.departmentIds, []);
    // Filtering by a department would tell who is in it, so for a guest it finds no one.
    assert.deepEqual((await guest.client.endpoint('listUsers')({ query: { departmentId: secretUnit.id } })).users, []);
    for (const answer of [tree.body, profile, directory]) assert.ok(!JSON.stringify(answer).includes(secretUnit.id), 'no department id reaches the guest');
    // The send guard's question names the departments a message reaches, but not to a guest.
    const asked = await rejectsWith(guest.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'hello' } }), 'CONFIRMATION_REQUIRED', 428);
    assert.deepEqual(asked.data?.departments, []);
    const askedMember = await rejectsWith(owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'hello' } }), 'CONFIRMATION_REQUIRED', 428);
    assert.deepEqual(askedMember.data?.departments, [secretUnit.name]);
    await rejectsWith(guest.client.endpoint('createDepartment')({ body: { name: 'Probe' } }), 'ADMIN_REQUIRED', 403);
    await rejectsWith(guest.client.endpoint('updateDepartment')({ params: { departmentId: secretUnit.id }, body: { name: 'Probe' } }), 'ADMIN_REQUIRED', 403);
    await rejectsWith(guest.client.endpoint('setUserDepartments')({ params: { userId: guest.user.id }, body: { departmentIds: [secretUnit.id] } }), 'ADMIN_REQUIRED', 403);
  });

  test('renames and moves a department, refusing to move it under itself or a descendant', async () => {
    const sales = await createDepartment(server(), 'Sales');
    const east = await createDepartment(server(), 'East', sales.id);
    const shanghai = await createDepartment(server(), 'Shanghai', east.id);
    const admin = server().admin.client;
    await rejectsWith(admin.endpoint('updateDepartment')({ params: { departmentId: sales.id }, body: { parentId: shanghai.id } }), 'DEPARTMENT_CYCLE', 409);
    await rejectsWith(admin.endpoint('updateDepartment')({ params: { departmentId: sales.id }, body: { parentId: sales.id } }), 'DEPARTMENT_CYCLE', 409);
    const moved = await admin.endpoint('updateDepartment')({ params: { departmentId: shanghai.id }, body: { name: '上海', parentId: sales.id } });
    assert.deepEqual([moved.department.name, moved.department.parentId], ['上海', sales.id]);
    const top = await admin.endpoint('updateDepartment')({ params: { departmentId: east.id }, body: { parentId: null } });
    assert.equal(top.department.parentId, null);
    const stored = await server().running.database.db.selectFrom('departments').select(['name', 'parent_id']).where('id', '=', shanghai.id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { name: '上海', parent_id: sales.id });
  });

  test('assigns a person to several departments; the user and the counts show it', async () => {
    const legal = await createDepartment(server(), 'Legal');
    const finance = await createDepartment(server(), 'Finance');
    const alice = await buildUser(server());
    const { user } = await server().admin.client.endpoint('setUserDepartments')({ params: { userId: alice.user.id }, body: { departmentIds: [legal.id, finance.id, legal.id] } });
    assert.deepEqual([...user.departmentIds].sort(), [legal.id, finance.id].sort());
    assert.deepEqual([...(await alice.client.endpoint('me')()).user.departmentIds].sort(), [legal.id, finance.id].sort());
    const { departments } = await alice.client.endpoint('listDepartments')();
    assert.equal(departments.find((d) => d.id === legal.id)?.memberCount, 1);
    const inLegal = await server().admin.client.endpoint('listUsers')({ query: { departmentId: legal.id } });
    assert.deepEqual(inLegal.users.map((u) => u.id), [alice.user.id]);
    await rejectsWith(
      server().admin.client.endpoint('setUserDepartments')({ params: { userId: alice.user.id }, body: { departmentIds: ['missing'] } }),
      'DEPARTMENT_NOT_FOUND',
      404,
    );
    await rejectsWith(alice.client.endpoint('setUserDepartments')({ params: { userId: alice.user.id }, body: { departmentIds: [] } }), 'ADMIN_REQUIRED', 403);
  });

  test('deletes only an empty department', async () => {
    const ops = await createDepartment(server(), 'Operations');
    const night = await createDepartment(server(), 'Night shift', ops.id);
    const bob = await buildUser(server());
    const admin = server().admin.client;
    await admin.endpoint('setUserDepartments')({ params: { userId: bob.user.id }, body: { departmentIds: [night.id] } });
    await rejectsWith(admin.endpoint('deleteDepartment')({ params: { departmentId: ops.id } }), 'DEPARTMENT_NOT_EMPTY', 409);
    await rejectsWith(admin.endpoint('deleteDepartment')({ params: { departmentId: night.id } }), 'DEPARTMENT_NOT_EMPTY', 409);
    await admin.endpoint('setUserDepartments')({ params: { userId: bob.user.id }, body: { departmentIds: [] } });
    await admin.endpoint('deleteDepartment')({ params: { departmentId: night.id } });
    await admin.endpoint('deleteDepartment')({ params: { departmentId: ops.id } });
    await rejectsWith(admin.endpoint('deleteDepartment')({ params: { departmentId: ops.id } }), 'DEPARTMENT_NOT_FOUND', 404);
    const left = await server().running.database.db.selectFrom('departments').select('id').where('id', 'in', [ops.id, night.id]).execute();
    assert.equal(left.length, 0);
  });

  test('every department change is audited', async () => {
    const hr = await createDepartment(server(), 'HR');
    const carol = await buildUser(server());
    const admin = server().admin.client;
    await admin.endpoint('updateDepartment')({ params: { departmentId: hr.id }, body: { name: 'People' } });
    await admin.endpoint('setUserDepartments')({ params: { userId: carol.user.id }, body: { departmentIds: [hr.id] } });
    await admin.endpoint('setUserDepartments')({ params: { userId: carol.user.id }, body: { departmentIds: [] } });
    await admin.endpoint('deleteDepartment')({ params: { departmentId: hr.id } });
    const entries = await server().running.database.db
      .selectFrom('audit_log')
      .select('action')
      .where((eb) => eb.or([eb('target_id', '=', hr.id), eb('target_id', '=', carol.user.id)]))
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      entries.map((e) => e.action),
      ['department.created', 'user.created', 'department.updated', 'user.departments_set', 'user.departments_set', 'department.deleted'],
    );
  });
});
