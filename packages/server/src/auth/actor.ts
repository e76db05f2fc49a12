import type { Role } from '@enclave/protocol';

/** Who is making a request: resolved from a session once, at the edge, and passed to every service call. */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  sessionId: string;
  ip: string | null;
}
