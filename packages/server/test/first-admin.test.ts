import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { EnclaveClient } from '@enclave/sdk';
import { streamCloseCodes } from '@enclave/protocol';
import { WebSocket } from 'ws';
import { loadConfig, startServer } from '../src/index';

async function freshInstallation(overrides: { adminPassword?: string }) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-first-admin-'));
  const server = await startServer(loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', passwordHashCost: 10, ...overrides }));
  return {
    server,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

test('the password the server generated for the first admin works once: to sign in and choose a new one', async () => {
  const { server, close } = await freshInstallation({});
  try {
    assert.equal(server.firstAdmin?.generated, true);
    const generated = server.firstAdmin!.password;
    const admin = new EnclaveClient({ baseUrl: server.url });
    const signedIn = await admin.login(server.firstAdmin!.user.username, generated);
    assert.equal(signedIn.passwordChangeRequired, true);
    await assert.rejects(admin.endpoint('listRooms')(), (error: { code?: string }) => error.code === 'PASSWORD_CHANGE_REQUIRED', 'nothing else until it is replaced');
    // Nor by another route: the live stream, opened with the same session's token, is refused too.
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/stream?token=${admin.currentToken!}`);
    socket.on('error', () => undefined);
    assert.equal(await new Promise<number>((resolve) => socket.on('close', (code) => resolve(code))), streamCloseCodes.unauthenticated, 'no stream until it is replaced');
    await admin.endpoint('changeMyPassword')({ body: { currentPassword: generated, newPassword: 'quartz meadow lantern river' } });
    await admin.endpoint('listRooms')();
    const again = new EnclaveClient({ baseUrl: server.url });
    await assert.rejects(again.login(server.firstAdmin!.user.username, generated), (error: { code?: string }) => error.code === 'INVALID_CREDENTIALS', 'the printed password is spent');
  } finally {
    await close();
  }
});

test('a first admin password the operator chose in ENCLAVE_ADMIN_PASSWORD is theirs to keep', async () => {
  const { server, close } = await freshInstallation({ adminPassword: 'operator chosen passphrase 7' });
  try {
    assert.equal(server.firstAdmin?.generated, false);
    const admin = new EnclaveClient({ baseUrl: server.url });
    assert.equal((await admin.login(server.firstAdmin!.user.username, 'operator chosen passphrase 7')).passwordChangeRequired, false);
    await admin.endpoint('listRooms')();
  } finally {
    await close();
  }
});
