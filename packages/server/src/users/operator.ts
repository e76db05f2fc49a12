import type { Actor } from '../auth/actor';

/** Who did it: a signed-in admin, or no one signed in (the operator at the command line, a newcomer signing up). */
export type Operator = Pick<Actor, 'userId' | 'ip'> | { userId: null; ip: string | null };
