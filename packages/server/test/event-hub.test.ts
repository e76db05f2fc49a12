import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventHub } from '../src/events/event-hub';
import type { HubEvent, HubSubscriber } from '../src/events/hub-event';

/** A subscriber to one user's events that keeps the positions it is given. */
function recorder(userId: string): HubSubscriber & { positions: number[] } {
  const positions: number[] = [];
  return { userId, sessionId: 's', rooms: new Set(), touchedRooms: new Set(), mayRead: () => true, isQuietAt: () => false, deliver: (event) => void positions.push(event.position), send: () => undefined, positions };
}

/** The log as another node left it: positions 1..head for one user, less those erased since. */
function committedLog(userId: string) {
  const log = { head: 0, erased: new Set<number>(), reads: [] as [number, number][] };
  const read = async (from: number, to: number): Promise<HubEvent[]> => {
    log.reads.push([from, to]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const events: HubEvent[] = [];
    for (let position = from; position <= to; position += 1) if (!log.erased.has(position)) events.push({ position, userId, frame: Buffer.from(`{"position":${position}}`) });
    return events;
  };
  return { log, read };
}

test('announcements that come while a read is under way are read together, and every position is delivered once, in order', async () => {
  const { log, read } = committedLog('u');
  const hub = new EventHub(0, read, (error) => assert.fail(String(error)), () => 0);
  const subscriber = recorder('u');
  hub.addConnection(subscriber);
  log.head = 50;
  log.erased.add(17);
  const announced = [];
  for (let position = 1; position <= 50; position += 1) announced.push(hub.advanceTo(position));
  await Promise.all(announced);
  assert.deepEqual(subscriber.positions, [...Array.from({ length: 50 }, (_, i) => i + 1)].filter((position) => position !== 17), 'an erased position is passed over');
  assert.ok(log.reads.length <= 2, `50 announcements took ${log.reads.length} reads`);
  assert.equal(hub.deliveredUpTo, 50);
  await hub.advanceTo(30);
  assert.equal(subscriber.positions.length, 49, 'an old announcement reads nothing again');
});

test('a failed read is asked for again by the next announcement, and nothing is passed over meanwhile', async () => {
  let failNext = true;
  const { read } = committedLog('u');
  const hub = new EventHub(0, async (from, to) => {
    if (failNext) {
      failNext = false;
      throw new Error('the database went away');
    }
    return read(from, to);
  }, () => undefined, () => 0);
  const subscriber = recorder('u');
  hub.addConnection(subscriber);
  await assert.rejects(hub.advanceTo(5), /went away/);
  assert.equal(hub.deliveredUpTo, 0);
  await hub.advanceTo(5);
  assert.deepEqual(subscriber.positions, [1, 2, 3, 4, 5]);
});
