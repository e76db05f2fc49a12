import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { EndpointInput } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { rejectsWith } from './expect-error';
import { makeLongPdf } from './file-fixtures';
import { describeEachBackend, type TestServer } from './harness';
import { buildRoomOfTwo } from '@enclave/testkit';
import { upload } from './upload-helpers';

/**
 * Long work never runs on the event loop: while one person's send makes the server tokenise and scan a large
 * document or a long text, everyone else is still answered. The proof is ordering, not timing: requests another
 * client starts after the send complete while the send is still pending.
 */

const send = (client: EnclaveClient, roomId: string, body: EndpointInput<'sendMessage'>['body']) => client.endpoint('sendMessage')({ params: { roomId }, body });

/** Nearly ten thousand characters of Chinese without a break: about as long as a message may be, and slow to segment. */
const LONG_CHINESE = '我们已经发送到群组的保密文件系统错误日志上传文件失败'.repeat(400).slice(0, 9_900);

/**
 * Runs `work` while another connection asks for /healthz, one request after the other, and for a page of history
 * once. Returns how many health checks were answered before `work` finished and whether the history came first.
 */
async function whileOthersAsk<T>(server: TestServer, other: EnclaveClient, roomId: string, work: Promise<T>) {
  let finished = false;
  const done = work.finally(() => (finished = true));
  let healthChecks = 0;
  let historyFirst: boolean | undefined;
  const history = other.endpoint('listMessages')({ params: { roomId }, query: {} }).then(() => (historyFirst ??= !finished));
  while (!finished) {
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    if (!finished) healthChecks += 1;
  }
  await history;
  return { result: await done, healthChecks, historyFirst };
}

describeEachBackend('the server stays responsive during long work', (server) => {
  let pdf: Uint8Array;
  before(async () => {
    pdf = await makeLongPdf(3_000, { marker: 'Codename zanzibar rollout' });
  });

  test('while a message carrying a 3,000-page PDF is sent, another client gets health checks and history, and search finds the file', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    // A first send warms the server's code paths up, so that what follows measures only the long work.
    await send(alice.client, room.id, { text: 'hello' });
    const file = await upload(alice.client, room.id, pdf, 'annual-report.pdf');
    const { result, healthChecks, historyFirst } = await whileOthersAsk(server(), bob.client, room.id, send(alice.client, room.id, { text: 'the report', fileIds: [file.id] }));
    assert.ok(healthChecks >= 3, `only ${healthChecks} health checks were answered during the send`);
    assert.equal(historyFirst, true, 'the history request waited for the send');
    const { results } = await bob.client.endpoint('search')({ query: { q: 'zanzibar' } });
    assert.deepEqual(results.map((hit) => hit.message.id), [result.message.id]);
    const deep = await bob.client.endpoint('search')({ query: { q: 'page 60 line 7' } });
    assert.deepEqual(deep.results.map((hit) => hit.message.id), [result.message.id], 'words from deep inside the file (within the index bound of 16,383 words) are found');
  });

  test('while long Chinese messages are sent and edited under a DLP rule, another client gets health checks and history', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    await server().admin.client.endpoint('createDlpRule')({ body: { name: 'Deal names', detector: { kind: 'keywords', words: ['bluebird'] }, scope: { roomIds: [room.id] }, action: 'block' } });
    const sends = Promise.all(Array.from({ length: 8 }, (_, i) => send(alice.client, room.id, { text: `${i} ${LONG_CHINESE}` })));
    const sent = await whileOthersAsk(server(), bob.client, room.id, sends);
    assert.ok(sent.healthChecks >= 3, `only ${sent.healthChecks} health checks were answered during the sends`);
    assert.equal(sent.historyFirst, true, 'the history request waited for the sends');

    const edits = Promise.all(sent.result.map(({ message }) => alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: `${LONG_CHINESE} 已编辑` } })));
    const edited = await whileOthersAsk(server(), bob.client, room.id, edits);
    assert.ok(edited.healthChecks >= 3, `only ${edited.healthChecks} health checks were answered during the edits`);
    assert.equal(edited.historyFirst, true, 'the history request waited for the edits');
    const { results } = await bob.client.endpoint('search')({ query: { q: '已编辑' } });
    assert.equal(results.length, 8);
  });
  // Parsing the document at upload is not what is measured here; on a busy test machine it can take longer than
  // the default five seconds, after which the file would count as unread and hold no text to work on.
}, { textExtractionTimeoutMs: 120_000 });

describeEachBackend(
  'content the CPU work pool cannot finish within its time',
  (server) => {
    async function roomWithRule(action: 'block' | 'redact') {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      const rule = (await server().admin.client.endpoint('createDlpRule')({ body: { name: `Deal names (${action})`, detector: { kind: 'keywords', words: ['bluebird'] }, scope: { roomIds: [room.id] }, action } })).rule;
      return { alice, bob, room, rule };
    }

    test('a long text the pool could not scan in time is refused by a block rule that applies, and nothing is stored', async () => {
      const { alice, bob, room, rule } = await roomWithRule('block');
      const refused = await rejectsWith(send(alice.client, room.id, { text: LONG_CHINESE }), 'DLP_BLOCKED', 403);
      assert.deepEqual(refused.data, { rules: [{ id: rule.id, name: rule.name, action: 'block' }] });
      assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, 0);
      // A normal chat message is scanned inline and goes out under the same rule.
      await send(alice.client, room.id, { text: 'lunch at noon?' });
    });

    test('a redact rule cannot redact text it could not read, so it refuses it instead', async () => {
      const { alice, room, rule } = await roomWithRule('redact');
      const refused = await rejectsWith(send(alice.client, room.id, { text: LONG_CHINESE }), 'DLP_BLOCKED', 403);
      assert.deepEqual(refused.data, { rules: [{ id: rule.id, name: rule.name, action: 'redact' }] });
    });

    test('a long text file the pool could not scan in time counts as unread and is named in the refusal', async () => {
      const { alice, room, rule } = await roomWithRule('block');
      const file = await upload(alice.client, room.id, 'quarterly figures, all approved\n'.repeat(2_000), 'figures.txt');
      const refused = await rejectsWith(send(alice.client, room.id, { text: 'figures', fileIds: [file.id] }), 'DLP_BLOCKED', 403);
      assert.deepEqual(refused.data, { rules: [{ id: rule.id, name: rule.name, action: 'block' }], unreadFiles: [{ id: file.id, name: 'figures.txt' }] });
    });

    test('where no rule applies, a long text the pool could not split into words goes out and is still found by search', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      const sent = await send(alice.client, room.id, { text: `${LONG_CHINESE} zanzibar` });
      assert.equal(sent.message.text.length, LONG_CHINESE.length + ' zanzibar'.length);
      const { results } = await bob.client.endpoint('search')({ query: { q: 'zanzibar' } });
      assert.deepEqual(results.map((hit) => hit.message.id), [sent.message.id]);
    });
  },
  // One millisecond is less than any long text takes on a thread, so every long task runs past its time.
  { cpuWorkTimeoutMs: 1 },
);
