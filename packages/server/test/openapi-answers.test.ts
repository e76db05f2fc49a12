import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { buildUser } from '@enclave/testkit';
import { describeEachBackend } from './harness';

interface Documented {
  paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
}

/**
 * The error responses the OpenAPI document lists are read from the endpoint table; these calls check them against
 * what the server actually answers, so the document cannot promise codes the server never sends for that status.
 */
describeEachBackend('what the OpenAPI document lists is what the server answers', (server) => {
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${server().url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, code: ((await response.json()) as { error?: { code: string } }).error?.code };
  };

  test('a refused call’s status and code are among those listed for its operation', async () => {
    const document = (await (await fetch(`${server().url}/api/v1/openapi.json`)).json()) as Documented;
    const member = await buildUser(server());
    const token = member.client.currentToken!;
    const cases = [
      { template: '/api/v1/rooms/{roomId}/messages', method: 'post', answer: await call('POST', `/api/v1/rooms/${randomUUID()}/messages`, token, { text: 'hello' }) },
      { template: '/api/v1/rooms/{roomId}/messages', method: 'post', answer: await call('POST', `/api/v1/rooms/${randomUUID()}/messages`, undefined, { text: 'hello' }) },
      { template: '/api/v1/rooms/{roomId}/messages', method: 'post', answer: await call('POST', `/api/v1/rooms/${randomUUID()}/messages`, token, { text: 42 }) },
      { template: '/api/v1/users', method: 'post', answer: await call('POST', '/api/v1/users', token, { username: 'someone', password: 'a long enough password 1' }) },
      { template: '/api/v1/invites/{inviteIdOrCode}', method: 'get', answer: await call('GET', '/api/v1/invites/NOSUCHCODE') },
      { template: '/api/v1/invites/{inviteIdOrCode}', method: 'delete', answer: await call('DELETE', `/api/v1/invites/${randomUUID()}`, token) },
    ];
    for (const { template, method, answer } of cases) {
      const listed = document.paths[template]?.[method]?.responses[String(answer.status)]?.description ?? '';
      assert.ok(answer.code && listed.split(', ').includes(answer.code), `${method.toUpperCase()} ${template} answered ${answer.status} ${answer.code}; the document lists "${listed}"`);
    }
  });
});
