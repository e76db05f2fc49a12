import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { KNOWN_AUDIT_ACTIONS } from '../src/compliance/known-audit-actions';
import { enAuditWords } from '../src/i18n/en';
import { zhCNAuditWords } from '../src/i18n/zh-cn';

/**
 * The server's `AuditAction` union is a type, gone at run time, and the web client may not import the server; so
 * the union is read from its source. Whoever adds an action there gets this test failing until both languages
 * have words for it.
 */
function serverAuditActions(): string[] {
  const source = readFileSync(new URL('../../server/src/audit/audit.service.ts', import.meta.url), 'utf8');
  const union = /export type AuditAction =([^;]+);/.exec(source)?.[1];
  assert.ok(union, 'AuditAction is declared in audit.service.ts');
  return [...union.matchAll(/'([a-z_]+\.[a-z_]+)'/g)].map((match) => match[1]!);
}

function wordsIn(words: { actions: Record<string, Record<string, string>> }, action: string): string | undefined {
  const [family = '', name = ''] = action.split('.');
  return words.actions[family]?.[name];
}

describe('audit actions in words', () => {
  const actions = serverAuditActions();

  test('the server declares actions (the union was found and read)', () => {
    assert.ok(actions.length > 50);
    assert.ok(actions.includes('auth.login') && actions.includes('compliance.audit_exported'));
  });

  test('every audit action has English words', () => {
    const missing = actions.filter((action) => !wordsIn(enAuditWords, action)?.trim());
    assert.deepEqual(missing, [], 'add these to enAuditWords.actions in packages/web/src/i18n/en.ts');
  });

  test('every audit action has Chinese words, written in Chinese', () => {
    const missing = actions.filter((action) => !/[\u4e00-\u9fff]/.test(wordsIn(zhCNAuditWords, action) ?? ''));
    assert.deepEqual(missing, [], 'add these to zhCNAuditWords.actions in packages/web/src/i18n/zh-cn.ts');
  });

  test('no words are kept for an action the server does not record', () => {
    assert.deepEqual(
      KNOWN_AUDIT_ACTIONS.filter((action) => !actions.includes(action)),
      [],
    );
  });

  test('every target type and every labelled field has words in both languages', () => {
    assert.deepEqual(Object.keys(zhCNAuditWords.targets).sort(), Object.keys(enAuditWords.targets).sort());
    assert.deepEqual(Object.keys(zhCNAuditWords.fields).sort(), Object.keys(enAuditWords.fields).sort());
    for (const words of [...Object.values(zhCNAuditWords.targets), ...Object.values(zhCNAuditWords.fields)]) assert.match(words, /[\u4e00-\u9fff]/);
  });
});
