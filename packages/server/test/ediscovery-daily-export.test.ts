import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ExportManifest } from '@enclave/protocol';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { loadConfig } from '../src/config';
import { runDailyExports, type DailyExportSettings } from '../src/ediscovery/daily-export';
import { readZip } from './export-zip-reader';
import { describeEachBackend, startTestServer } from './harness';

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describeEachBackend('scheduled daily eDiscovery export', (server) => {
  test('each day is written once after its time, renamed into place and audited; a restart neither redoes nor skips a day', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'enclave-daily-export-'));
    try {
      const officer = await buildUser(server(), { role: 'compliance' });
      const alice = await buildUser(server());
      const room = await buildRoom(server(), { owner: alice.client });
      const message = await sendConfirmed(alice.client, room.id, { text: 'minutes of the board meeting' });
      const day = message.createdAt.slice(0, 10);
      const next = addDays(day, 1);
      const settings: DailyExportSettings = { directory, time: '01:00', query: { custodianIds: [], roomIds: [room.id] } };
      const run = (now: string) => runDailyExports(server().running.services.ediscovery.runDeps, settings, new Date(now));

      assert.deepEqual(await run(`${next}T00:30:00Z`), [addDays(day, -1)], 'before 01:00 the day before is the latest due');
      const [first, second] = await Promise.all([run(`${next}T01:05:00Z`), run(`${next}T01:05:00Z`)]);
      assert.deepEqual([...first!, ...second!], [day], 'two runs at once write the day once');
      assert.deepEqual(await run(`${next}T09:00:00Z`), []);

      const file = path.join(directory, `enclave-records-${day}.zip`);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const entries = await readZip(readFileSync(file));
      const lines = entries.get('messages.jsonl')!.toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string });
      assert.deepEqual(lines.map((line) => line.id), [message.id]);
      const manifest = ExportManifest.parse(JSON.parse(entries.get('manifest.json')!.toString('utf8')));
      assert.deepEqual([manifest.query.from, manifest.query.to, manifest.query.roomIds, manifest.exportedBy.id], [`${day}T00:00:00.000Z`, `${next}T00:00:00.000Z`, [room.id], null]);

      await server().restart();
      assert.deepEqual(await run(`${next}T12:00:00Z`), [], 'a restart does not redo the day');
      assert.deepEqual(await run(`${addDays(day, 3)}T02:00:00Z`), [addDays(day, 1), addDays(day, 2)], 'days missed while stopped are caught up');
      assert.deepEqual(readdirSync(directory).sort(), [-1, 0, 1, 2].map((offset) => `enclave-records-${addDays(day, offset)}.zip`), 'no temp file is left');

      const { entries: audit } = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.records_exported', limit: 20 } });
      const scheduled = audit.filter((entry) => entry.data.scheduled === true && entry.data.day === day);
      assert.equal(scheduled.length, 1);
      assert.deepEqual([scheduled[0]!.actorId, scheduled[0]!.data.file, scheduled[0]!.data.messages], [null, `enclave-records-${day}.zip`, 1]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

test('the daily export is configured by the operator: directory, time and what each day covers', () => {
  const config = loadConfig({ ENCLAVE_DAILY_EXPORT_DIR: '/srv/archive/inbox', ENCLAVE_DAILY_EXPORT_TIME: '23:30', ENCLAVE_DAILY_EXPORT_QUERY: '{"roomIds":["r1"],"hasFile":true}' });
  assert.deepEqual([config.dailyExportDir, config.dailyExportTime, config.dailyExportQuery], ['/srv/archive/inbox', '23:30', { custodianIds: [], roomIds: ['r1'], hasFile: true }]);
  assert.deepEqual(loadConfig({}).dailyExportQuery, { custodianIds: [], roomIds: [] });
  assert.throws(() => loadConfig({ ENCLAVE_DAILY_EXPORT_TIME: '24:00' }), /ENCLAVE_DAILY_EXPORT_TIME: HH:MM, in UTC/);
  assert.throws(() => loadConfig({ ENCLAVE_DAILY_EXPORT_QUERY: '{"words":"merger"}' }), /ENCLAVE_DAILY_EXPORT_QUERY/);
  assert.throws(() => loadConfig({ ENCLAVE_DAILY_EXPORT_QUERY: 'not json' }), /ENCLAVE_DAILY_EXPORT_QUERY/);
});

test('a server with a daily export directory writes the due day on its own', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'enclave-daily-export-'));
  const server = await startTestServer({ backend: 'sqlite', config: { dailyExportDir: directory, dailyExportTime: '00:00' } });
  try {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const deadline = Date.now() + 10_000;
    while (!readdirSync(directory).includes(`enclave-records-${yesterday}.zip`)) {
      assert.ok(Date.now() < deadline, 'the due day was written within 10 s of the start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
