import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument, endpoints, errorCodes, errorMessages, locales, pickLocale, RoomCreateRequest } from '../src/index';

test('picks Simplified Chinese for any Chinese preference and English otherwise', () => {
  assert.equal(pickLocale('zh-CN,zh;q=0.9,en;q=0.8'), 'zh-CN');
  assert.equal(pickLocale('en-GB,zh;q=0.5'), 'en');
  assert.equal(pickLocale('fr-FR,zh-TW;q=0.7'), 'zh-CN');
  assert.equal(pickLocale(['de', 'fr']), 'en');
  assert.equal(pickLocale(undefined), 'en');
});

test('every error code has a message in every language', () => {
  for (const locale of locales) {
    for (const code of Object.keys(errorCodes)) assert.ok(errorMessages[locale][code as keyof typeof errorCodes]?.length, `${locale} ${code}`);
  }
});

test('room creation requires a name for channels and groups and refuses one for direct messages', () => {
  assert.equal(RoomCreateRequest.safeParse({ kind: 'group' }).success, false);
  assert.equal(RoomCreateRequest.safeParse({ kind: 'dm', name: 'x', memberIds: ['u'] }).success, false);
  assert.equal(RoomCreateRequest.safeParse({ kind: 'dm', memberIds: ['u'] }).success, true);
});

test('the OpenAPI document describes every endpoint of the table', () => {
  const document = buildOpenApiDocument('test');
  // A parameter's name is not part of the URL: two endpoints on one path may share a template named for both.
  const shape = (path: string) => path.replace(/:\w+|\{\w+\}/g, '{}');
  for (const [name, endpoint] of Object.entries(endpoints)) {
    const found = Object.entries(document.paths).filter(([path, methods]) => shape(path) === shape(endpoint.path) && (methods as Record<string, { operationId: string }>)[endpoint.method.toLowerCase()]?.operationId === name);
    assert.equal(found.length, 1, `${name} is documented once, at its path and method`);
  }
});

test('every error code is documented in docs/api.md', () => {
  const documentation = readFileSync(fileURLToPath(new URL('../../../docs/api.md', import.meta.url)), 'utf8');
  for (const code of Object.keys(errorCodes)) assert.match(documentation, new RegExp(`\\| \`${code}\` \\|`), code);
});
