export { buildRoom, buildRoomOfTwo, buildUser, createApprovedDlpRule, exportAsOfficer, sendConfirmed, type Organisation } from './factories';
export { pick, randomInt, seededRandom } from './seeded-random';
