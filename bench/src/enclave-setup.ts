import type { Room, User } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import { mapWithLimit } from './concurrency';
import { nodeHttpFetch } from './node-http-fetch';
import { sourceAddressOf } from './source-address';

/** A signed-in bench user: the token opens its streams, the address is where its connections come from. */
export interface BenchUser {
  user: User;
  token: string;
  address: string;
}

const BENCH_PASSWORD = 'bench-password-not-secret';
/** How many setup requests are in flight at once: enough to keep the server busy, few enough not to time out. */
const SETUP_CONCURRENCY = 16;
const MAX_MEMBERS_PER_CALL = 1000;

/**
 * The environment of an Enclave server the fan-out phases measure. The load generator's senders go far faster than
 * any person, which the stream's per-connection frame limit exists to stop; the bench measures the server, so it
 * lifts that limit.
 */
export function fanoutServerEnv(dataDir: string, adminPassword: string): Record<string, string> {
  return {
    ENCLAVE_DATA_DIR: dataDir,
    ENCLAVE_ADMIN_PASSWORD: adminPassword,
    ENCLAVE_PASSWORD_HASH_COST: '10',
    ENCLAVE_LOG_LEVEL: 'silent',
    ENCLAVE_STREAM_FRAMES_PER_SECOND: '100000',
  };
}

export async function signInAdmin(baseUrl: string, password: string): Promise<EnclaveClient> {
  const admin = new EnclaveClient({ baseUrl });
  await admin.login('admin', password);
  return admin;
}

/** Creates `count` members through the admin API and signs each in from its own loopback source address. */
export async function createSignedInUsers(admin: EnclaveClient, count: number, firstIndex = 0): Promise<BenchUser[]> {
  const indexes = Array.from({ length: count }, (_, offset) => firstIndex + offset);
  return mapWithLimit(indexes, SETUP_CONCURRENCY, async (index) => {
    const username = `bench-${index}`;
    const { user } = await admin.endpoint('createUser')({ body: { username, password: BENCH_PASSWORD, displayName: `Bench ${index}`, role: 'member' } });
    const address = sourceAddressOf(index);
    const client = new EnclaveClient({ baseUrl: admin.baseUrl, fetch: nodeHttpFetch({ localAddress: address }) });
    const { token } = await client.login(username, BENCH_PASSWORD);
    if (!token) throw new Error(`no token for ${username}`);
    return { user, token, address };
  });
}

/** A channel with all the given users as members, added a thousand at a time (the API's limit per call). */
export async function createChannel(owner: EnclaveClient, name: string, members: readonly BenchUser[]): Promise<Room> {
  const ids = members.map((member) => member.user.id);
  const { room } = await owner.endpoint('createRoom')({ body: { kind: 'channel', name, memberIds: ids.slice(0, MAX_MEMBERS_PER_CALL) } });
  for (let start = MAX_MEMBERS_PER_CALL; start < ids.length; start += MAX_MEMBERS_PER_CALL) {
    await owner.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: ids.slice(start, start + MAX_MEMBERS_PER_CALL) } });
  }
  return room;
}

/** A private group per user with nobody else in it, so its messages reach only its own streams. */
export async function createOwnGroups(baseUrl: string, users: readonly BenchUser[]): Promise<Room[]> {
  return mapWithLimit(users, SETUP_CONCURRENCY, async (member, index) => {
    const client = new EnclaveClient({ baseUrl, token: member.token });
    const { room } = await client.endpoint('createRoom')({ body: { kind: 'group', name: `own-${index}`, memberIds: [] } });
    return room;
  });
}

/** A private group created by `owner` with the other users as members (the owner counts as a member). */
export async function createGroup(baseUrl: string, owner: BenchUser, name: string, others: readonly BenchUser[]): Promise<Room> {
  const client = new EnclaveClient({ baseUrl, token: owner.token });
  const { room } = await client.endpoint('createRoom')({ body: { kind: 'group', name, memberIds: others.map((member) => member.user.id) } });
  return room;
}
