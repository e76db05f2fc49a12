/** What other features may read of sessions: whether open streams' sessions still stand (stream.service.ts). */
export { standingOfSessions } from './auth.repository';
