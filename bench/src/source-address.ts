/**
 * Enclave allows 30 sign-ins a minute from one address, which would make signing in thousands of bench users
 * take an hour. The whole 127.0.0.0/8 block is loopback on Linux, so each bench user gets a loopback source
 * address shared with few enough others to stay under that limit; nothing leaves the machine.
 */
export const USERS_PER_ADDRESS = 25;

/** The loopback source address of the n-th bench user (127.0.1.1, … 127.0.1.250, 127.0.2.1, …). */
export function sourceAddressOf(userIndex: number): string {
  const slot = Math.floor(userIndex / USERS_PER_ADDRESS);
  return `127.0.${1 + Math.floor(slot / 250)}.${1 + (slot % 250)}`;
}
