import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildRoom, buildUser } from '@enclave/testkit';
import { describeEachBackend, openStream, startTestServer, type TestServer } from './harness';

const TOKEN = 'scrape-token-0123456789abcdef';

/** The value of one sample of the scrape (`name` with exactly these labels), or undefined when it is absent. */
function sample(scrape: string, name: string, labels = ''): number | undefined {
  const line = scrape.split('\n').find((candidate) => candidate.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(server: TestServer, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${server.url}/metrics`, { headers });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return response.text();
}

describeEachBackend(
  'Prometheus metrics, switched on',
  (server) => {
    test('a send and a stream move the delivery, batch, commit and request metrics, and no id or text reaches them', async () => {
      const alice = await buildUser(server());
      const bob = await buildUser(server());
      const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
      const before = await scrape(server());
      assert.equal(sample(before, 'enclave_stream_connections'), 0);
      const stream = await openStream(bob.client);
      const text = 'the quarterly numbers are in';
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text } });
      await stream.waitFor((events) => events.some((event) => event.type === 'message.created'), 'the message');
      const afterSend = await scrape(server());
      stream.close();

      assert.equal(sample(afterSend, 'enclave_stream_connections'), 1);
      assert.ok(sample(afterSend, 'enclave_stream_deliveries_total')! > sample(before, 'enclave_stream_deliveries_total')!);
      assert.ok(sample(afterSend, 'enclave_send_batch_size_count')! > (sample(before, 'enclave_send_batch_size_count') ?? 0));
      assert.ok(sample(afterSend, 'enclave_send_commit_duration_seconds_count')! > (sample(before, 'enclave_send_commit_duration_seconds_count') ?? 0));
      const sends = 'method="POST",route="/api/v1/rooms/:roomId/messages",status_class="2xx"';
      assert.ok(sample(afterSend, 'enclave_http_request_duration_seconds_count', sends)! >= 1, 'the send is timed under its route pattern');
      assert.ok(sample(afterSend, 'nodejs_eventloop_lag_p99_seconds') !== undefined, 'event-loop lag is reported');
      for (const secret of [room.id, alice.user.id, bob.user.id, alice.user.username, text]) assert.ok(!afterSend.includes(secret), `no ${secret} in the metrics`);
    });

    test('counts DLP hits by the rule action, every action shown from zero', async () => {
      const alice = await buildUser(server());
      const room = await buildRoom(server(), { owner: alice.client });
      const before = await scrape(server());
      assert.equal(sample(before, 'enclave_dlp_hits_total', 'action="review"'), 0);
      await server().admin.client.endpoint('createDlpRule')({ body: { name: 'Falcon', detector: { kind: 'keywords', words: ['Falcon'] }, scope: { roomIds: [room.id] }, action: 'block' } });
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Project Falcon ships' } }).catch(() => undefined);
      const afterHit = await scrape(server());
      assert.equal(sample(afterHit, 'enclave_dlp_hits_total', 'action="block"'), sample(before, 'enclave_dlp_hits_total', 'action="block"')! + 1);
      assert.ok(!afterHit.includes('Falcon'));
    });

    test('shows the PostgreSQL pool on PostgreSQL, and no pool on SQLite', async () => {
      const text = await scrape(server());
      if (server().backend === 'postgres') {
        assert.ok(sample(text, 'enclave_db_pool_connections')! >= 1);
        assert.ok(sample(text, 'enclave_db_pool_idle_connections') !== undefined);
        assert.equal(sample(text, 'enclave_db_pool_waiting_queries'), 0);
      } else {
        assert.equal(sample(text, 'enclave_db_pool_connections'), undefined);
      }
    });
  },
  { metrics: 'on' },
);

describe('Prometheus metrics behind a token', () => {
  let server: TestServer;
  const log: string[] = [];
  before(async () => {
    server = await startTestServer({ config: { metrics: 'on', metricsToken: TOKEN, logLevel: 'info' }, build: { logStream: { write: (line) => log.push(line) } } });
  });
  after(async () => server.close());

  test('refuses a scrape without the token or with a wrong one, answers the right one, and never logs it', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }]) {
      const response = await fetch(`${server.url}/metrics`, { headers });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    }
    assert.match(await scrape(server, { authorization: `Bearer ${TOKEN}` }), /enclave_http_request_duration_seconds/);
    assert.ok(log.some((line) => line.includes('/metrics')), 'the scrapes were logged');
    assert.ok(!log.join('').includes(TOKEN));
  });
});

describe('Prometheus metrics, switched off (the default)', () => {
  let server: TestServer;
  let webRoot: string;
  before(async () => {
    webRoot = mkdtempSync(path.join(tmpdir(), 'enclave-web-'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Enclave</title>');
    server = await startTestServer({ config: { webRoot } });
  });
  after(async () => {
    await server.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  test('/metrics is a JSON 404 like any unknown API path, never the web page', async () => {
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'ROUTE_NOT_FOUND');
  });

  test('a missing file with an extension is a 404 too, while a client route still gets the page', async () => {
    for (const missing of ['/missing.js', '/favicon.png']) {
      const response = await fetch(`${server.url}${missing}`);
      assert.equal(response.status, 404, missing);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'ROUTE_NOT_FOUND');
    }
    assert.match(await (await fetch(`${server.url}/rooms/abc`)).text(), /<title>Enclave/);
  });
});
