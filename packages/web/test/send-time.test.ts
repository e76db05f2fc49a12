import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { instantOfWallTime, sendTimePresets, wallTimeOf } from '../src/scheduled/send-time';

const at = (iso: string) => Date.parse(iso);

describe('the times a scheduled send offers', () => {
  test('presets are read in the sender’s zone, not the browser’s: Shanghai on a Friday evening', () => {
    // Friday 2026-03-27 20:30 in Shanghai (UTC+8).
    const presets = sendTimePresets(at('2026-03-27T12:30:00Z'), 'Asia/Shanghai');
    assert.equal(new Date(presets.inAnHour).toISOString(), '2026-03-27T13:30:00.000Z');
    assert.equal(wallTimeOf(presets.tomorrowMorning, 'Asia/Shanghai'), '2026-03-28T09:00');
    assert.equal(wallTimeOf(presets.nextMondayMorning, 'Asia/Shanghai'), '2026-03-30T09:00');
    assert.equal(new Date(presets.nextMondayMorning).toISOString(), '2026-03-30T01:00:00.000Z');
  });

  test('"next Monday" on a Monday is a week on, and "in an hour" rounds up to the minute', () => {
    const presets = sendTimePresets(at('2026-03-30T02:00:30Z'), 'Asia/Shanghai');
    assert.equal(wallTimeOf(presets.nextMondayMorning, 'Asia/Shanghai'), '2026-04-06T09:00');
    assert.equal(new Date(presets.inAnHour).toISOString(), '2026-03-30T03:01:00.000Z');
  });

  test('09:00 in Berlin across the spring daylight-saving change is 08:00 UTC before and 07:00 UTC after', () => {
    // Saturday 2026-03-28 in Berlin; clocks go forward in the night to Sunday the 29th.
    const presets = sendTimePresets(at('2026-03-28T10:00:00Z'), 'Europe/Berlin');
    assert.equal(new Date(presets.tomorrowMorning).toISOString(), '2026-03-29T07:00:00.000Z');
    assert.equal(new Date(presets.nextMondayMorning).toISOString(), '2026-03-30T07:00:00.000Z');
    assert.equal(instantOfWallTime('2026-03-27T09:00', 'Europe/Berlin'), at('2026-03-27T08:00:00Z'));
  });

  test('a wall time skipped by the change resolves an hour on, and text that is no time gives nothing', () => {
    assert.equal(wallTimeOf(instantOfWallTime('2026-03-29T02:30', 'Europe/Berlin')!, 'Europe/Berlin'), '2026-03-29T03:30');
    assert.equal(instantOfWallTime('tomorrow', 'Europe/Berlin'), undefined);
    assert.equal(instantOfWallTime('', 'Europe/Berlin'), undefined);
  });

  test('a wall time read back from its instant is the same wall time', () => {
    for (const zone of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York']) {
      assert.equal(wallTimeOf(instantOfWallTime('2026-11-01T09:15', zone)!, zone), '2026-11-01T09:15');
    }
  });
});
