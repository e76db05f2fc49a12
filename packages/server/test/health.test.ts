import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../src/index';
import { describeEachBackend } from './harness';

describeEachBackend('service endpoints', (server) => {
  test('healthz answers 200', async () => {
    const response = await fetch(`${server().url}/healthz`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'ok');
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
