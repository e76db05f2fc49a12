import { randomUUID } from 'node:crypto';
import type { Department, User } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { UsersService } from '../users/users.service';
import {
  deleteDepartment,
  departmentHasContents,
  findDepartment,
  findExistingDepartmentIds,
  insertDepartment,
  listDepartments,
  readParentLinks,
  replaceUserDepartments,
  updateDepartment,
  type DepartmentRow,
} from './departments.repository';

export interface DepartmentsDeps {
  db: Kysely<Database>;
  users: UsersService;
  /** Called after a change to who is in which department, or to the tree: whose working hours may now differ. */
  onPlacementChanged?: (who: readonly string[] | 'everyone') => Promise<void>;
}

/** The department tree and who belongs where. Every change is audited in its own transaction. */
export class DepartmentsService {
  constructor(private readonly deps: DepartmentsDeps) {}

  /**
   * The tree with head counts. A guest gets an empty tree, not a refusal: like the directory, which narrows to what
   * a guest may see, the answer has the same shape for everyone, and the web client needs no special case.
   */
  async listDepartments(viewer: Pick<Actor, 'role'>): Promise<Department[]> {
    if (viewer.role === 'guest') return [];
    return (await listDepartments(this.deps.db)).map(toWireDepartment);
  }

  async createDepartment(actor: Actor, input: { name: string; parentId?: string | null | undefined }): Promise<Department> {
    const id = randomUUID();
    await this.deps.db.transaction().execute(async (trx) => {
      if (input.parentId) await this.requireDepartment(trx, input.parentId);
      await insertDepartment(trx, { id, name: input.name, parent_id: input.parentId ?? null, created_at: Date.now() });
      await recordAudit(trx, { actorId: actor.userId, action: 'department.created', target: { type: 'department', id }, data: { name: input.name, parentId: input.parentId ?? null }, ip: actor.ip });
    });
    return this.getDepartment(id);
  }

  /** Renames and/or moves a department; moving it under itself or one of its descendants is DEPARTMENT_CYCLE. */
  async updateDepartment(actor: Actor, id: string, changes: { name?: string | undefined; parentId?: string | null | undefined }): Promise<Department> {
    await this.deps.db.transaction().execute(async (trx) => {
      const before = await this.requireDepartment(trx, id);
      if (changes.parentId) {
        await this.requireDepartment(trx, changes.parentId);
        await this.checkNoCycle(trx, id, changes.parentId);
      }
      await updateDepartment(trx, id, {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.parentId !== undefined ? { parent_id: changes.parentId } : {}),
      });
      await recordAudit(trx, {
        actorId: actor.userId,
        action: 'department.updated',
        target: { type: 'department', id },
        data: {
          ...(changes.name !== undefined ? { name: { from: before.name, to: changes.name } } : {}),
          ...(changes.parentId !== undefined ? { parentId: { from: before.parent_id, to: changes.parentId } } : {}),
        },
        ip: actor.ip,
      });
    });
    // A sub-department inherits its parent's hours: a move may change the hours of everyone below it.
    if (changes.parentId !== undefined) await this.deps.onPlacementChanged?.('everyone');
    return this.getDepartment(id);
  }

  /** Only an empty department goes: its sub-departments and people have to be moved out first. */
  async deleteDepartment(actor: Actor, id: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const department = await this.requireDepartment(trx, id);
      if (await departmentHasContents(trx, id)) throw new AppError('DEPARTMENT_NOT_EMPTY');
      await deleteDepartment(trx, id);
      await recordAudit(trx, { actorId: actor.userId, action: 'department.deleted', target: { type: 'department', id }, data: { name: department.name }, ip: actor.ip });
    });
  }

  /** Replaces the set of departments a user belongs to. */
  async setUserDepartments(actor: Actor, userId: string, departmentIds: string[]): Promise<User> {
    const before = await this.deps.users.getUser(userId);
    const wanted = [...new Set(departmentIds)];
    await this.deps.db.transaction().execute(async (trx) => {
      if ((await findExistingDepartmentIds(trx, wanted)).length !== wanted.length) throw new AppError('DEPARTMENT_NOT_FOUND');
      await replaceUserDepartments(trx, userId, wanted);
      await recordAudit(trx, {
        actorId: actor.userId,
        action: 'user.departments_set',
        target: { type: 'user', id: userId },
        data: { from: before.departmentIds, to: wanted },
        ip: actor.ip,
      });
    });
    await this.deps.onPlacementChanged?.([userId]);
    return this.deps.users.getUser(userId);
  }

  private async getDepartment(id: string): Promise<Department> {
    const [row] = await listDepartments(this.deps.db, id);
    if (!row) throw new AppError('DEPARTMENT_NOT_FOUND');
    return toWireDepartment(row);
  }

  private async requireDepartment(trx: Transaction<Database>, id: string) {
    const department = await findDepartment(trx, id);
    if (!department) throw new AppError('DEPARTMENT_NOT_FOUND');
    return department;
  }

  /** Walks up from the new parent; meeting the department itself means the move would close a loop. */
  private async checkNoCycle(trx: Transaction<Database>, id: string, newParentId: string): Promise<void> {
    const parents = await readParentLinks(trx);
    const seen = new Set<string>();
    for (let current: string | null | undefined = newParentId; current; current = parents.get(current)) {
      if (current === id || seen.has(current)) throw new AppError('DEPARTMENT_CYCLE');
      seen.add(current);
    }
  }
}

function toWireDepartment(row: DepartmentRow): Department {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    memberCount: Number(row.member_count),
  };
}
