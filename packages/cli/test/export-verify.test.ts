import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, test } from 'node:test';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import yazl from 'yazl';
import { readZip } from '../../server/test/export-zip-reader';
import { startTestServer, type TestServer } from '../../server/test/harness';
import { upload } from '../../server/test/upload-helpers';
import { main } from '../src/main';

/** Runs `enclave export verify` in-process (no server: the command is offline) and returns its exit code and output. */
async function verify(file: string, options: string[] = []): Promise<{ code: number; output: string }> {
  let output = '';
  const code = await main(['export', 'verify', file, ...options], (text) => {
    output += text;
  });
  return { code, output };
}

/** Writes entries into a new zip, in order: how a tamperer would rebuild an export after changing it. */
async function writeZip(file: string, entries: Map<string, Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of entries) zip.addBuffer(bytes, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}

describe('enclave export verify', () => {
  let server: TestServer;
  let dir: string;
  let exported: string;
  let entries: Map<string, Buffer>;
  let emlPath: string;

  before(async () => {
    server = await startTestServer({ backend: 'sqlite' });
    dir = mkdtempSync(path.join(tmpdir(), 'enclave-export-verify-'));
    const officer = await buildUser(server, { role: 'compliance' });
    const alice = await buildUser(server);
    const room = await buildRoom(server, { owner: alice.client });
    const file = await upload(alice.client, room.id, 'the contract', 'contract.txt');
    const message = await sendConfirmed(alice.client, room.id, { text: 'signed today', fileIds: [file.id] });
    emlPath = `eml/${message.id}.eml`;
    const zip = await officer.client.endpoint('createExport')({ body: { query: { roomIds: [room.id] } } });
    exported = path.join(dir, 'export.zip');
    writeFileSync(exported, zip);
    writeFileSync(path.join(dir, 'audit-public.pem'), server.running.services.auditKey.publicKeyPem);
    entries = await readZip(zip);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function tampered(name: string, change: (copy: Map<string, Buffer>) => void): Promise<string> {
    const copy = new Map([...entries].map(([key, value]) => [key, Buffer.from(value)]));
    change(copy);
    const file = path.join(dir, `${name}.zip`);
    await writeZip(file, copy);
    return file;
  }

  test('a good export verifies, with the organisation’s key and with the key inside it', async () => {
    const withKey = await verify(exported, ['--public-key', path.join(dir, 'audit-public.pem')]);
    assert.equal(withKey.code, 0, withKey.output);
    assert.match(withKey.output, /is intact: \d+ entries/);
    assert.match(withKey.output, /checked with the given key/);
    const embedded = await verify(exported);
    assert.equal(embedded.code, 0, embedded.output);
    assert.match(embedded.output, /key inside the zip/);
  });

  test('a one-byte change in any entry fails, naming the entry', async () => {
    for (const name of ['messages.jsonl', 'summary.csv', 'transcript.html', emlPath, [...entries.keys()].find((key) => key.startsWith('files/'))!]) {
      const file = await tampered('changed', (copy) => {
        const bytes = copy.get(name)!;
        bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 1;
      });
      const result = await verify(file);
      assert.equal(result.code, 1, name);
      assert.ok(result.output.includes(`changed: ${name}:`), result.output);
    }
  });

  test('a removed entry and an added entry fail, naming them', async () => {
    const removed = await verify(await tampered('removed', (copy) => copy.delete(emlPath)));
    assert.equal(removed.code, 1);
    assert.ok(removed.output.includes(`missing: ${emlPath} is listed in the manifest but not in the zip`), removed.output);
    const added = await verify(await tampered('added', (copy) => copy.set('eml/planted.eml', Buffer.from('From: nobody\r\n\r\nplanted'))));
    assert.equal(added.code, 1);
    assert.ok(added.output.includes('extra: eml/planted.eml is in the zip but not in the manifest'), added.output);
  });

  test('a changed manifest fails its signature, even with sums that match the changed entries', async () => {
    const file = await tampered('manifest', (copy) => {
      const manifest = JSON.parse(copy.get('manifest.json')!.toString('utf8')) as { counts: { messages: number } };
      manifest.counts.messages = 0;
      copy.set('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
    });
    const result = await verify(file);
    assert.equal(result.code, 1);
    assert.match(result.output, /signature: the signature of manifest\.json does not verify/);
  });

  test('an export re-signed with another key passes only its own key: the organisation’s key catches it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const forgedKey = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const file = await tampered('forged', (copy) => {
      copy.set('manifest.sig', Buffer.from(`${sign(null, copy.get('manifest.json')!, privateKey).toString('base64')}\n`));
      copy.set('audit-public-key.pem', Buffer.from(forgedKey));
    });
    const result = await verify(file, ['--public-key', path.join(dir, 'audit-public.pem')]);
    assert.equal(result.code, 1);
    assert.match(result.output, /signature: the signature of manifest\.json does not verify/);
    const json = await verify(file, ['--json']);
    const report = JSON.parse(json.output) as { ok: boolean; problems: { kind: string }[] };
    assert.deepEqual([report.ok, report.problems.map((problem) => problem.kind)], [false, ['key']], 'the embedded key does not match the manifest’s key id');
  });
});
