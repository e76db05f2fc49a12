import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatePassword } from '../src/auth/password';
import { checkPasswordStrength } from '../src/auth/password-strength';
import { ConfigError, loadConfig } from '../src/config';

test('refuses each weak password the issue names, saying why', () => {
  assert.deepEqual(checkPasswordStrength('1234567890'), { reason: 'too_short', minimum: 12 });
  assert.deepEqual(checkPasswordStrength('aaaaaaaaaa'), { reason: 'too_short', minimum: 12 });
  assert.deepEqual(checkPasswordStrength('password12'), { reason: 'too_short', minimum: 12 });
  assert.deepEqual(checkPasswordStrength(' '.repeat(10)), { reason: 'whitespace' });
  assert.deepEqual(checkPasswordStrength('\u0000'.repeat(10)), { reason: 'control_characters' });
});

test('refuses the same kinds of password even when they are long enough', () => {
  assert.deepEqual(checkPasswordStrength('123456789012'), { reason: 'common' });
  assert.deepEqual(checkPasswordStrength('password1234'), { reason: 'common' });
  assert.deepEqual(checkPasswordStrength('aaaaaaaaaaaa'), { reason: 'predictable' });
  assert.deepEqual(checkPasswordStrength('abcdefghijklmnop'), { reason: 'predictable' });
  assert.deepEqual(checkPasswordStrength('qwertyuiop1234'), { reason: 'predictable' });
  assert.deepEqual(checkPasswordStrength(' '.repeat(20)), { reason: 'whitespace' });
  assert.deepEqual(checkPasswordStrength('\t\n\r '.repeat(5)), { reason: 'control_characters' });
});

test('refuses a control or invisible character anywhere in an otherwise strong password', () => {
  for (const hidden of ['\u0000', '\u001b', '\u007f', '\u0085', '\u200b', '\u202e']) {
    assert.deepEqual(checkPasswordStrength(`violet ${hidden}harbour lantern`), { reason: 'control_characters' }, JSON.stringify(hidden));
  }
});

test('counts the username as something a guesser knows', () => {
  assert.equal(checkPasswordStrength('wangfang.sales', 12), undefined);
  assert.deepEqual(checkPasswordStrength('wangfang.sales', 12, ['wangfang.sales']), { reason: 'predictable' });
});

test('accepts long passphrases and random passwords, and follows the minimum it is given', () => {
  for (const good of ['violet harbour lantern', 'correct horse battery staple', 'Zx9#qLm2$vR7', '这是一个很长的中文密码短语吧']) assert.equal(checkPasswordStrength(good), undefined, good);
  assert.deepEqual(checkPasswordStrength('violet harbour lantern', 24), { reason: 'too_short', minimum: 24 });
  assert.equal(checkPasswordStrength('Zx9#qLm2$v', 8), undefined, 'a lower minimum admits a shorter random password');
});

test('a hostile 256-character password is judged quickly by its first characters', () => {
  assert.deepEqual(checkPasswordStrength('a'.repeat(256)), { reason: 'predictable' });
  assert.equal(checkPasswordStrength(`${'Zx9#qLm2$vR7'.repeat(2)}${'a'.repeat(232)}`), undefined);
});

test('the generated first-admin and CLI passwords always pass the policy', () => {
  for (let i = 0; i < 200; i += 1) assert.equal(checkPasswordStrength(generatePassword()), undefined);
  assert.equal(generatePassword(40).length, 40);
  assert.equal(checkPasswordStrength(generatePassword(40), 40), undefined);
});

test('a weak ENCLAVE_ADMIN_PASSWORD stops the start with a message naming the variable and the reason', () => {
  assert.throws(() => loadConfig({ ENCLAVE_ADMIN_PASSWORD: 'password12' }), (error: Error) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /ENCLAVE_ADMIN_PASSWORD: must be at least 12 characters/);
    return true;
  });
  assert.throws(() => loadConfig({ ENCLAVE_ADMIN_PASSWORD: '123456789012' }), /ENCLAVE_ADMIN_PASSWORD: is one of the most common passwords/);
  assert.equal(loadConfig({ ENCLAVE_ADMIN_PASSWORD: 'violet harbour lantern' }).adminPassword, 'violet harbour lantern');
});
