import { randomBytes } from 'node:crypto';
import type { DlpRule, EndpointInput, Message, Role, Room, User } from '@enclave/protocol';
import { EnclaveApiError, EnclaveClient } from '@enclave/sdk';

/** What the factories need of a running server: where it is and a signed-in administrator. */
export interface Organisation {
  url: string;
  admin: { client: EnclaveClient };
}

let userCounter = 0;

/** Creates a user through the API (as the admin) and signs them in. */
export async function buildUser(
  organisation: Organisation,
  overrides: Partial<{ username: string; password: string; displayName: string; role: Role; clearance: string }> = {},
): Promise<{ user: User; username: string; password: string; client: EnclaveClient }> {
  userCounter += 1;
  const username = overrides.username ?? `user${userCounter}-${randomBytes(3).toString('hex')}`;
  const password = overrides.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const { user } = await organisation.admin.client.endpoint('createUser')({
    body: {
      username,
      password,
      displayName: overrides.displayName ?? `User ${userCounter}`,
      role: overrides.role ?? 'member',
      ...(overrides.clearance !== undefined ? { clearance: overrides.clearance } : {}),
    },
  });
  const client = new EnclaveClient({ baseUrl: organisation.url });
  await client.login(username, password);
  return { user, username, password, client };
}

/** Creates a channel or group owned by `owner`'s user with the given members. */
export async function buildRoom(
  organisation: Organisation,
  options: { owner: EnclaveClient; kind?: 'channel' | 'group'; name?: string; members?: User[] },
): Promise<Room> {
  void organisation;
  const { room } = await options.owner.endpoint('createRoom')({
    body: { kind: options.kind ?? 'group', name: options.name ?? `room-${randomBytes(3).toString('hex')}`, memberIds: (options.members ?? []).map((m) => m.id) },
  });
  return room;
}

/** Alice and Bob, both signed in, in a group that Alice owns. */
export async function buildRoomOfTwo(organisation: Organisation) {
  const alice = await buildUser(organisation);
  const bob = await buildUser(organisation);
  const room = await buildRoom(organisation, { owner: alice.client, members: [bob.user] });
  return { alice, bob, room };
}

/**
 * Sends like a person who reads the confirmation dialog and confirms: a send the guard asks about is repeated
 * with the token it gave. For tests about something else than the guard.
 */
export async function sendConfirmed(client: EnclaveClient, roomId: string, body: EndpointInput<'sendMessage'>['body']): Promise<Message> {
  try {
    return (await client.endpoint('sendMessage')({ params: { roomId }, body })).message;
  } catch (error) {
    if (!(error instanceof EnclaveApiError) || error.code !== 'CONFIRMATION_REQUIRED') throw error;
    const confirmationToken = (error.data as { confirmationToken: string }).confirmationToken;
    return (await client.endpoint('sendMessage')({ params: { roomId }, body: { ...body, confirmationToken } })).message;
  }
}

/**
 * Saves a DLP rule as `author`; when it waits for a second approver (a review rule on one conversation, or one that
 * matches everything: APPROVAL_PENDING), `approver` approves it. Answers the saved rule.
 */
export async function createApprovedDlpRule(author: EnclaveClient, approver: EnclaveClient, body: EndpointInput<'createDlpRule'>['body']): Promise<DlpRule> {
  try {
    return (await author.endpoint('createDlpRule')({ body })).rule;
  } catch (error) {
    if (!(error instanceof EnclaveApiError) || error.code !== 'APPROVAL_PENDING') throw error;
    const { approval } = await approver.endpoint('approveApproval')({ params: { approvalId: (error.data as { approvalId: string }).approvalId } });
    const ruleId = approval.details.kind === 'dlp-rule' ? approval.details.ruleId : null;
    const rule = (await author.endpoint('listDlpRules')()).rules.find((r) => r.id === ruleId);
    if (!rule) throw new Error('the approved rule was not saved');
    return rule;
  }
}

/**
 * The archive the records policy asks for before a frozen room is deleted: a compliance officer (made for the
 * purpose) exports it. Answers the export.
 */
export async function exportAsOfficer(organisation: Organisation, roomId: string): Promise<string> {
  const officer = await buildUser(organisation, { role: 'compliance' });
  return officer.client.endpoint('exportRoom')({ params: { roomId }, query: { format: 'jsonl' } });
}
