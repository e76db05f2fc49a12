import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digestEmail } from '../src/email-notifications/digest-email';

const link = 'https://chat.example.test/';

test('the English digest counts, names the rooms it may and sums up the others', () => {
  const { subject, text } = digestEmail('en', { mentions: 3, mentionRooms: ['release', null, null], directMessages: 1, conversations: 1 }, link);
  assert.equal(subject, 'Enclave: 3 new mentions, 1 direct message');
  assert.match(text, /^- 3 mentions in 3 rooms: #release and 2 other rooms$/m);
  assert.match(text, /^- 1 direct message in 1 conversation$/m);
  assert.match(text, /https:\/\/chat\.example\.test\//);
});

test('with no room it may name, the digest says only how many rooms', () => {
  const { subject, text } = digestEmail('en', { mentions: 1, mentionRooms: [null], directMessages: 0, conversations: 0 }, link);
  assert.equal(subject, 'Enclave: 1 new mention');
  assert.match(text, /^- 1 mention in 1 room$/m);
  assert.ok(!text.includes('direct message'));
});

test('the Chinese digest says the same in Chinese', () => {
  const { subject, text } = digestEmail('zh-CN', { mentions: 2, mentionRooms: ['发布', null], directMessages: 4, conversations: 2 }, link);
  assert.equal(subject, 'Enclave：2 条新提及，4 条私信');
  assert.match(text, /^- 在 2 个聊天室中被提及 2 次：#发布 及另外 1 个聊天室$/m);
  assert.match(text, /^- 2 个会话中的 4 条私信$/m);
});
