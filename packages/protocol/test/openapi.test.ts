import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOpenApiDocument } from '../src/openapi';

interface Operation {
  operationId: string;
  parameters: { name: string; in: string }[];
  responses: Record<string, { description: string }>;
}

/** The part of Redocly's linter used here. */
interface RedoclyLinter {
  createConfig(config: { extends: string[] }): Promise<unknown>;
  lintFromString(options: { source: string; absoluteRef: string; config: unknown }): Promise<{ severity: string; ruleId: string; message: string; location: { pointer?: string }[] }[]>;
}

// Loaded by a name the compiler does not follow: the library's own types would cost the type check a quarter of its budget.
const linterModule = '@redocly/openapi-core';

const document = buildOpenApiDocument('0.0.0-test');
const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, ...(operation as Operation) })));

test('the OpenAPI document has no problem under Redocly’s recommended rules, errors or warnings', async () => {
  const { createConfig, lintFromString } = (await import(linterModule)) as RedoclyLinter;
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: '/openapi.json', config });
  assert.deepEqual(
    problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer ?? '?'}`),
    [],
  );
});

test('every operation lists the client errors its entry in the endpoint table implies', () => {
  for (const operation of operations) {
    assert.ok(Object.keys(operation.responses).some((status) => status.startsWith('4')), `${operation.operationId} lists a 4xx`);
  }
  const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
  assert.match(byId.get('createUser')?.responses['403']?.description ?? '', /ADMIN_REQUIRED/, 'an admin endpoint');
  assert.match(byId.get('sendMessage')?.responses['404']?.description ?? '', /ROOM_NOT_FOUND/, 'a room named in the path');
  assert.match(byId.get('sendMessage')?.responses['401']?.description ?? '', /UNAUTHENTICATED/);
  assert.equal(byId.get('getInvite')?.responses['401'], undefined, 'a public endpoint never answers UNAUTHENTICATED');
});

test('an invite’s id (to revoke it) and its code (to preview it) share one path whose parameter is named for both', () => {
  const invite = operations.filter((operation) => operation.path === '/api/v1/invites/{inviteIdOrCode}');
  assert.deepEqual(invite.map((operation) => operation.operationId).sort(), ['getInvite', 'revokeInvite']);
  for (const operation of invite) assert.deepEqual(operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name), ['inviteIdOrCode']);
});
