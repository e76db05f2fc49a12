import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildUser } from '@enclave/testkit';
import { signCheckpoint } from '../src/audit/audit-checkpoint';
import { AuditCheckpointer } from '../src/audit/audit-checkpointer';
import { AuditSigningKey } from '../src/audit/audit-signing-key';
import { verifyAuditCheckpoints, verifyAuditLog } from '../src/index';
import { rejectsWith } from './expect-error';
import { withRewrittenLog } from './audit-rewrite';
import { describeEachBackend } from './harness';

/**
 * The server's own checkpointer is set to write only its first checkpoint here (the schedule is far apart), so the
 * tests decide when checkpoints happen through checkpointers of their own on the same database and file, as a
 * second server would be; `anchor()` uses one that finds a checkpoint due after every entry.
 */
describeEachBackend(
  'signed audit checkpoints',
  (server) => {
    const db = () => server().running.database.db;
    const checkpointer = () => server().running.services.auditCheckpoints;
    const fileText = () => readFileSync(checkpointer().file, 'utf8');
    const verifyWithFile = (text = fileText()) => verifyAuditCheckpoints(db(), text, checkpointer().publicKeyPem);
    const checkpointerOn = (schedule: { everyEntries: number; everyMs: number }) =>
      new AuditCheckpointer(db(), server().running.services.auditKey, { ...schedule, file: checkpointer().file }, server().running.app.log);
    const eager = () => checkpointerOn({ everyEntries: 1, everyMs: 60_000 });

    /** Adds entries and anchors the newest; a second try covers the server's own first checkpoint winning the race. */
    async function anchor() {
      for (let attempt = 0; attempt < 2; attempt++) {
        await buildUser(server());
        const checkpoint = await eager().checkpointIfDue();
        if (checkpoint) return checkpoint;
      }
      return assert.fail('no checkpoint was written');
    }

    test('an untouched log passes with its checkpoints, which sit in the table and, signed, in the file', async () => {
      const first = await anchor();
      const second = await anchor();
      const result = await verifyWithFile();
      assert.deepEqual(result.problems, []);
      assert.equal(result.ok, true);
      assert.ok(result.anchoredSeq !== null && result.anchoredSeq >= second.seq);
      const lines = fileText().trim().split('\n').map((line) => JSON.parse(line) as { seq: number });
      assert.ok(lines.some((line) => line.seq === first.seq) && lines.some((line) => line.seq === second.seq));
      const stored = await db().selectFrom('audit_checkpoints').select(['seq', 'head_hash']).where('seq', '=', second.seq).executeTakeFirstOrThrow();
      const entry = await db().selectFrom('audit_log').select('hash').where('seq', '=', second.seq).executeTakeFirstOrThrow();
      assert.equal(stored.head_hash, entry.hash);
      assert.equal(second.headHash, entry.hash);
    });

    test('no checkpoint is written while no entry is new', async () => {
      await anchor();
      assert.equal(await eager().checkpointIfDue(), undefined);
    });

    test('tail truncation that also rewinds audit_head passes plain verify but not the checkpoints', async () => {
      const anchored = await anchor();
      await withRewrittenLog(server(), (rows) => rows.filter((row) => row.seq < anchored.seq - 1), async () => {
        assert.equal((await verifyAuditLog(db())).ok, true, 'the chain alone cannot tell');
        const result = await verifyWithFile();
        assert.equal(result.ok, false);
        assert.ok(result.problems.some((problem) => problem.seq === anchored.seq && problem.reason === 'entry-missing'), JSON.stringify(result.problems));
      });
      assert.equal((await verifyWithFile()).ok, true, 'the real log is back');
    });

    test('deleting an entry and re-chaining every later one passes plain verify but not the checkpoints', async () => {
      const anchored = await anchor();
      const victim = anchored.seq - 3;
      await withRewrittenLog(server(), (rows) => rows.filter((row) => row.seq !== victim), async () => {
        assert.equal((await verifyAuditLog(db())).ok, true, 'the chain alone cannot tell');
        const result = await verifyWithFile();
        assert.equal(result.ok, false);
        assert.deepEqual(result.problems.find((problem) => problem.seq === anchored.seq)?.reason, 'entry-missing', 'the renumbered log is one entry shorter');
      });
    });

    test('editing an entry and recomputing every later hash passes plain verify but not the checkpoints', async () => {
      const anchored = await anchor();
      const victim = anchored.seq - 2;
      await withRewrittenLog(server(), (rows) => rows.map((row) => (row.seq === victim ? { ...row, data: JSON.stringify({ rewritten: true }) } : row)), async () => {
        assert.equal((await verifyAuditLog(db())).ok, true, 'the chain alone cannot tell');
        const result = await verifyWithFile();
        assert.equal(result.ok, false);
        assert.ok(result.problems.some((problem) => problem.seq === anchored.seq && problem.reason === 'hash-differs'), JSON.stringify(result.problems));
      });
    });

    test('a forged checkpoint line fails: edited fields under an old signature, or signed with another key', async () => {
      const real = await anchor();
      const forged = { ...real, headHash: 'f'.repeat(64) };
      const otherKey = AuditSigningKey.open({ dataDir: mkdtempSync(path.join(tmpdir(), 'enclave-other-key-')) });
      const foreign = signCheckpoint(otherKey, { seq: real.seq, headHash: real.headHash, at: Date.now() });
      const text = `${fileText()}${JSON.stringify(forged)}\n${JSON.stringify(foreign)}\nnot a checkpoint\n`;
      const result = await verifyWithFile(text);
      assert.equal(result.ok, false);
      const lines = text.trim().split('\n').length;
      assert.deepEqual(result.problems, [
        { line: lines - 2, seq: real.seq, reason: 'bad-signature' },
        { line: lines - 1, seq: real.seq, reason: 'other-key' },
        { line: lines, reason: 'unreadable-line' },
      ]);
    });

    test('a checkpoint is never signed over a chain that was already rewritten', async () => {
      const anchored = await anchor();
      await withRewrittenLog(server(), (rows) => rows.map((row) => (row.seq === anchored.seq - 1 ? { ...row, data: '{"rewritten":true}' } : row)), async () => {
        await buildUser(server());
        assert.equal(await eager().checkpointIfDue(), undefined);
      });
    });

    test('servers racing to anchor the same entry write one checkpoint and one line', async () => {
      await anchor();
      await buildUser(server());
      const servers = [eager(), eager(), eager(), eager()];
      const written = (await Promise.all(servers.map((one) => one.checkpointIfDue()))).filter((checkpoint) => checkpoint !== undefined);
      assert.equal(written.length, 1);
      const seq = written[0]!.seq;
      const rows = await db().selectFrom('audit_checkpoints').select('seq').where('seq', '=', seq).execute();
      assert.equal(rows.length, 1);
      assert.equal(fileText().split('\n').filter((line) => line.includes(`"seq":${seq},`)).length, 1);
    });

    test('a checkpoint is due after N entries or M minutes, whichever comes first', async () => {
      const last = await anchor();
      const lastAt = Date.parse(last.at);
      const scheduled = checkpointerOn({ everyEntries: 3, everyMs: 10 * 60_000 });
      await buildUser(server());
      assert.equal(await scheduled.checkpointIfDue(lastAt + 60_000), undefined, 'too few entries, too early');
      const byTime = await scheduled.checkpointIfDue(lastAt + 10 * 60_000);
      assert.ok(byTime && byTime.seq > last.seq);
      const byTimeAt = Date.parse(byTime.at);
      const newestSeq = async () => Number((await db().selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()).seq);
      while ((await newestSeq()) < byTime.seq + 3) await buildUser(server());
      const byCount = await scheduled.checkpointIfDue(byTimeAt + 1000);
      assert.ok(byCount && byCount.seq >= byTime.seq + 3);
    });

    test('officers list the checkpoints with the public key and download the file; others cannot', async () => {
      await anchor();
      const officer = await buildUser(server(), { role: 'compliance' });
      const listed = await officer.client.endpoint('listAuditCheckpoints')({ query: { limit: 5 } });
      assert.ok(listed.checkpoints.length >= 1);
      assert.equal(listed.keyId, server().running.services.auditKey.keyId);
      assert.equal(listed.publicKeyPem, server().running.services.auditKey.publicKeyPem);
      const downloaded = await officer.client.endpoint('auditCheckpointsFile')({});
      assert.equal(downloaded, fileText());
      const checked = await verifyAuditCheckpoints(db(), downloaded, listed.publicKeyPem);
      assert.equal(checked.ok, true);
      const actions = await db().selectFrom('audit_log').select('action').where('actor_id', '=', officer.user.id).where('action', 'like', 'compliance.%').execute();
      assert.deepEqual(actions.map((row) => row.action).sort(), ['compliance.checkpoints_downloaded', 'compliance.checkpoints_viewed']);
      for (const role of ['member', 'admin'] as const) {
        const other = await buildUser(server(), { role });
        await rejectsWith(other.client.endpoint('listAuditCheckpoints')({ query: {} }), 'COMPLIANCE_REQUIRED', 403);
        await rejectsWith(other.client.endpoint('auditCheckpointsFile')({}), 'COMPLIANCE_REQUIRED', 403);
      }
    });
  },
  { auditCheckpointEntries: 1_000_000, auditCheckpointMinutes: 24 * 60 },
);
