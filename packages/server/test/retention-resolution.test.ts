import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { holdCovers } from '../src/holds/hold-coverage';
import { DAY_MS, isDueForPurge, youngestPurgeAgeMs, type PolicyTerms, type RetentionPolicies } from '../src/retention/retention-resolution';

const now = Date.UTC(2026, 11, 7);
const policies = (parts: { organisation?: PolicyTerms; rooms?: [string, PolicyTerms][]; labels?: [string, PolicyTerms][] }): RetentionPolicies => ({
  organisation: parts.organisation,
  rooms: new Map(parts.rooms ?? []),
  labels: new Map(parts.labels ?? []),
});
const message = (days: number, overrides: Partial<{ room_id: string; label: string; deleted_at: number | null; recalled_at: number | null }> = {}) => ({
  room_id: 'r',
  sender_id: 'alice',
  label: 'internal',
  created_at: now - days * DAY_MS,
  deleted_at: null,
  recalled_at: null,
  ...overrides,
});

describe('retention resolution', () => {
  test('without any policy nothing is due, however old or deleted', () => {
    assert.equal(isDueForPurge(policies({}), message(10_000, { deleted_at: now }), now), false);
    assert.equal(youngestPurgeAgeMs(policies({})), Number.POSITIVE_INFINITY);
  });

  test('the longest deletion age of the applying policies counts, so a room never cuts the organisation’s', () => {
    const set = policies({ organisation: { deleteAfterDays: 90, keepAtLeastDays: null }, rooms: [['r', { deleteAfterDays: 30, keepAtLeastDays: null }]] });
    assert.equal(isDueForPurge(set, message(60), now), false);
    assert.equal(isDueForPurge(set, message(91), now), true);
  });

  test('the longest minimum keep beats any deletion age, and holds back an author’s delete', () => {
    const set = policies({ organisation: { deleteAfterDays: 30, keepAtLeastDays: null }, labels: [['confidential', { deleteAfterDays: null, keepAtLeastDays: 365 }]] });
    assert.equal(isDueForPurge(set, message(100, { label: 'confidential' }), now), false);
    assert.equal(isDueForPurge(set, message(100, { label: 'confidential', deleted_at: now }), now), false);
    assert.equal(isDueForPurge(set, message(366, { label: 'confidential' }), now), true);
    assert.equal(isDueForPurge(set, message(1, { recalled_at: now }), now), true, 'no minimum: a recalled message goes at once');
  });

  test('a policy that only keeps never purges for age', () => {
    const set = policies({ rooms: [['r', { deleteAfterDays: null, keepAtLeastDays: 7 }]] });
    assert.equal(isDueForPurge(set, message(5000), now), false);
    assert.equal(isDueForPurge(set, message(8, { deleted_at: now }), now), true);
    assert.equal(youngestPurgeAgeMs(set), 7 * DAY_MS);
  });

  test('the purge need not read messages younger than the organisation’s minimum', () => {
    assert.equal(youngestPurgeAgeMs(policies({ organisation: { deleteAfterDays: 30, keepAtLeastDays: 10 }, rooms: [['r', { deleteAfterDays: 5, keepAtLeastDays: null }]] })), 10 * DAY_MS);
  });

  test('a hold covers a message when every part it names matches', () => {
    const scope = { id: 'h', name: 'm', custodianIds: ['alice'], roomIds: [], from: now - 10 * DAY_MS, to: now };
    assert.equal(holdCovers(scope, message(5)), true);
    assert.equal(holdCovers(scope, message(11)), false, 'before the range');
    assert.equal(holdCovers(scope, { ...message(5), sender_id: 'bob' }), false, 'not a custodian');
    assert.equal(holdCovers({ ...scope, to: now - 5 * DAY_MS }, message(5)), false, 'the end is exclusive');
    assert.equal(holdCovers({ ...scope, custodianIds: [], roomIds: ['r'] }, { ...message(5), sender_id: 'bob' }), true);
  });
});
