export { buildRoom, buildRoomOfTwo, buildUser, sendConfirmed, type Organisation } from './factories';
export { pick, randomInt, seededRandom } from './seeded-random';
