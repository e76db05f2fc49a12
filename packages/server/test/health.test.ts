import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/index';
import { describeEachBackend, startTestServer, testBackends } from './harness';

describeEachBackend('service endpoints', (server) => {
  test('healthz answers 200', async () => {
    const response = await fetch(`${server().url}/healthz`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'ok');
  });

  test('readyz answers 200 while the node can serve people', async () => {
    const response = await fetch(`${server().url}/readyz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ready: true, reasons: [] });
  });

  test('serves the OpenAPI document generated from the protocol', async () => {
    const document = (await (await fetch(`${server().url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/api/v1/rooms/{roomId}/messages']);
  });

  test('an unknown API path is a ROUTE_NOT_FOUND error, not an HTML page', async () => {
    const response = await fetch(`${server().url}/api/v1/nothing-here`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'ROUTE_NOT_FOUND');
  });
});

test('configuration errors name the environment variable', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT: /);
  assert.throws(() => loadConfig({ ENCLAVE_ADMIN_PASSWORD: 'short' }), /ENCLAVE_ADMIN_PASSWORD: must be at least 12 characters/);
  const config = loadConfig({ PORT: '9000', HOST: '0.0.0.0', ENCLAVE_DATA_DIR: '/tmp/x' });
  assert.deepEqual([config.port, config.host, config.dataDir], [9000, '0.0.0.0', '/tmp/x']);
});

for (const backend of testBackends()) {
  test(`readyz answers 503 naming the database when it stops answering, while /healthz still answers (${backend})`, async () => {
    const server = await startTestServer({ backend });
    const readiness = async () => {
      const response = await fetch(`${server.url}/readyz`);
      return { status: response.status, body: (await response.json()) as { ready: boolean; reasons: string[] } };
    };
    assert.equal((await readiness()).status, 200);
    // The node's own line to its database goes, as when the database's machine fails.
    await server.running.database.db.destroy();
    assert.deepEqual(await readiness(), { status: 503, body: { ready: false, reasons: ['database'] } });
    const healthz = await fetch(`${server.url}/healthz`);
    assert.equal(healthz.status, 200, 'the process itself is alive: a restart would not help');
    await server.close().catch(() => undefined);
  });
}

test('an unknown key in the ENCLAVE_CONFIG file stops the start, named, with the setting it probably meant', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'enclave-config-'));
  try {
    const file = path.join(directory, 'enclave.json');
    writeFileSync(file, JSON.stringify({ port: 9000, databaseURL: 'postgres://db/enclave', PORT: 9001, colour: 'blue' }));
    const refused = (() => {
      try {
        loadConfig({ ENCLAVE_CONFIG: file });
      } catch (error) {
        return error as Error;
      }
      assert.fail('the configuration was accepted');
    })();
    assert.ok(refused instanceof ConfigError);
    assert.match(refused.message, /databaseURL: not a setting \(did you mean databaseUrl\?\)/);
    assert.match(refused.message, /PORT: not a setting \(did you mean port\?\)/);
    assert.match(refused.message, /colour: not a setting$/m);
    assert.doesNotMatch(refused.message, /postgres:\/\/db/, 'values are not repeated');
    writeFileSync(file, JSON.stringify({ port: 9000, metrics: 'on' }));
    assert.deepEqual([loadConfig({ ENCLAVE_CONFIG: file }).port, loadConfig({ ENCLAVE_CONFIG: file }).metrics], [9000, 'on']);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('metrics are off by default, and a short metrics token is refused without being repeated', () => {
  assert.equal(loadConfig({}).metrics, 'off');
  assert.throws(() => loadConfig({ ENCLAVE_METRICS: 'yes' }), /ENCLAVE_METRICS: /);
  assert.throws(() => loadConfig({ ENCLAVE_METRICS: 'on', ENCLAVE_METRICS_TOKEN: 'tiny-secret' }), (error: Error) => /ENCLAVE_METRICS_TOKEN: at least 16 characters/.test(error.message) && !error.message.includes('tiny-secret'));
});
