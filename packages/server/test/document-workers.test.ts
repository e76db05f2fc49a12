import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildRoomOfTwo, sendConfirmed } from '@enclave/testkit';
import { makeDocx, makePdf } from './file-fixtures';
import { startTestServer, testBackends } from './harness';
import { pngImage, upload } from './upload-helpers';

// The server parses uploads on a pool of document workers that it owns: started by the first upload that needs
// one, reused by the next ones, and ended when the server closes. The pool's counts are the observable here, so
// nothing depends on how long a worker takes to start.
for (const backend of testBackends()) {
  describe(`document workers (${backend})`, () => {
    test('uploads one after another share one worker, and closing the server ends it', async () => {
      const server = await startTestServer({ backend });
      const { documents } = server.running.services;
      try {
        const { alice, bob, room } = await buildRoomOfTwo(server);
        assert.deepEqual(documents.stats(), { workersStarted: 0, workersAlive: 0 });
        const uploads: Array<[Uint8Array, string]> = [
          [await pngImage(8, 8), 'first.png'],
          [await makePdf('Quarterly figures'), 'figures.pdf'],
          [makeDocx(['Minutes of the meeting']), 'minutes.docx'],
          [await pngImage(9, 9), 'second.png'],
        ];
        const fileIds: string[] = [];
        for (const [content, name] of uploads) fileIds.push((await upload(alice.client, room.id, content, name)).id);
        const sent = await sendConfirmed(alice.client, room.id, { text: 'papers', fileIds });
        // Found by words only the PDF and the DOCX hold: both were read on the shared worker.
        for (const q of ['Quarterly ', 'Minutes ']) {
          const { results } = await bob.client.endpoint('search')({ query: { q } });
          assert.deepEqual(results.map((result) => result.message.id), [sent.id], q);
        }
        assert.deepEqual(documents.stats(), { workersStarted: 1, workersAlive: 1 });
      } finally {
        await server.close();
      }
      assert.deepEqual(documents.stats(), { workersStarted: 1, workersAlive: 0 });
    });
  });
}
