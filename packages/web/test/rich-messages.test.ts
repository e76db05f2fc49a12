import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildRoom, buildUser } from '@enclave/testkit';
import { type TestServer } from '../../server/test/harness';
import { messagesOf, newContext, saveScreenshot, startBrowserSuiteWithPlainGuard, stopBrowserSuite, waitUntil } from './browser';

/** A Markdown message as people write one, and what each language's screen says around it. */
const languages = [
  {
    locale: 'en',
    shot: 'en',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    conversations: 'Conversations',
    composer: (room: string) => `Message #${room}`,
    bold: 'Release',
    italic: 'today',
    struck: 'tomorrow',
    quote: 'Ship it when the build is green',
    steps: ['Build', 'Deploy'],
    bullets: ['docs: https://example.com/docs', 'the plan and [bad](javascript:window.__clicked=1)'],
    lines: (mention: string) => [
      `**Release** is *today*, not ~~tomorrow~~: run \`npm test\` first, @${mention}.`,
      '> Ship it when the build is green',
      '',
      '1. Build',
      '2. Deploy',
      '',
      '- docs: https://example.com/docs',
      '- [the plan](https://example.com/plan) and [bad](javascript:window.__clicked=1)',
    ],
  },
  {
    locale: 'zh-CN',
    shot: 'zh',
    username: '用户名',
    password: '密码',
    signIn: '登录',
    conversations: '会话',
    composer: (room: string) => `发送消息到 #${room}`,
    bold: '“今天”',
    italic: '发布。',
    struck: '明天',
    quote: '构建通过后再上线',
    steps: ['构建', '部署'],
    bullets: ['文档：https://example.com/docs', '计划和[坏链接](javascript:window.__clicked=1)'],
    lines: (mention: string) => [
      // Emphasis closing after Chinese punctuation and followed directly by Chinese text: CommonMark alone leaves these as asterisks.
      `**“今天”**上线，*发布。*不是~~明天~~，先运行\`npm test\`，@${mention}。`,
      '> 构建通过后再上线',
      '',
      '1. 构建',
      '2. 部署',
      '',
      '- 文档：https://example.com/docs',
      '- [计划](https://example.com/plan)和[坏链接](javascript:window.__clicked=1)',
    ],
  },
] as const;

/** Code and hostile text shared by both languages: highlighting, and markup that must stay text. */
const CODE_AND_HOSTILE_LINES = [
  '```ts',
  `const ready: boolean = true; // ${'a long comment that must scroll inside the block '.repeat(3)}`,
  '```',
  '<img src=x onerror="window.__injected=1"> <script>window.__injected=2</script> &lt;b&gt;',
];

async function signInAs(browser: Browser, server: TestServer, language: (typeof languages)[number], username: string, password: string): Promise<Page> {
  const page = await (await newContext(browser, server.url, language.locale)).newPage();
  await page.goto('/');
  await page.getByLabel(language.username).fill(username);
  await page.getByLabel(language.password).fill(password);
  await page.getByRole('button', { name: language.signIn }).click();
  await page.getByRole('navigation', { name: language.conversations }).waitFor();
  return page;
}

/** The page's requests to anywhere but our own server: a link preview or a loaded image would show up here. */
function recordOutsideRequests(page: Page, serverUrl: string): string[] {
  const ours = new URL(serverUrl).host;
  const outside: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.host !== ours) outside.push(request.url());
  });
  return outside;
}

async function texts(locator: Locator): Promise<string[]> {
  return (await locator.allInnerTexts()).map((text) => text.trim());
}

for (const language of languages) {
  describe(`[${language.locale}] rich messages in the browser`, () => {
    let server: TestServer;
    let browser: Browser;

    before(async () => {
      ({ server, browser } = await startBrowserSuiteWithPlainGuard());
    });

    after(() => stopBrowserSuite({ server, browser }));

    test('a Markdown message is sent as typed and shown formatted, links safe, code highlighted, nothing fetched, at desktop and phone width', async () => {
      const alice = await buildUser(server, { displayName: 'Alice' });
      const bob = await buildUser(server, { displayName: 'Bob' });
      const room = await buildRoom(server, { owner: bob.client, kind: 'channel', name: 'release', members: [alice.user] });
      const page = await signInAs(browser, server, language, bob.username, bob.password);
      const outside = recordOutsideRequests(page, server.url);
      await page.goto(`/rooms/${room.id}`);

      const typed = [...language.lines(alice.username), '', ...CODE_AND_HOSTILE_LINES].join('\n');
      const composer = page.getByLabel(language.composer('release'));
      await composer.fill(typed);
      await composer.press('Enter');
      const message = messagesOf(page).filter({ hasText: language.quote });
      await message.locator('.message__text blockquote').waitFor();
      const text = message.locator('.message__text');

      // What the server stored, and so what DLP, search and exports see, is the text as typed.
      const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 10 } });
      assert.deepEqual(messages.map((stored) => stored.text), [typed]);

      assert.deepEqual(await texts(text.locator('strong')), [language.bold]);
      assert.deepEqual(await texts(text.locator('em')), [language.italic]);
      assert.deepEqual(await texts(text.locator('s')), [language.struck]);
      assert.deepEqual(await texts(text.locator('p code')), ['npm test']);
      assert.deepEqual(await texts(text.locator('.mention')), [`@${alice.username}`]);
      assert.deepEqual(await texts(text.locator('blockquote')), [language.quote]);
      assert.deepEqual(await texts(text.locator('ol > li')), language.steps);
      assert.deepEqual(await texts(text.locator('ul > li')), language.bullets);

      const links = await text.locator('a').evaluateAll((anchors) => anchors.map((a) => ({ href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel') })));
      const safe = { target: '_blank', rel: 'noopener noreferrer' };
      assert.deepEqual(links, [
        { href: 'https://example.com/docs', ...safe },
        { href: 'https://example.com/plan', ...safe },
      ], 'the javascript: link stays text');

      // The highlighter arrives as its own chunk, then colours the block.
      await text.locator('pre.code-block[data-language="ts"] .hljs-keyword').first().waitFor();
      assert.equal((await texts(text.locator('.hljs-keyword')))[0], 'const');
      assert.match(await text.locator('pre.code-block').innerText(), /^const ready: boolean = true; \/\/ a long comment/);

      assert.equal(await text.locator('img, script, iframe').count(), 0, 'raw HTML in the text makes no element');
      assert.match(await text.innerText(), /<img src=x onerror="window.__injected=1"> <script>window.__injected=2<\/script> &lt;b&gt;/);
      assert.equal(await page.evaluate(() => (globalThis as unknown as { __injected?: number }).__injected), undefined);
      await saveScreenshot(page, `rich-message-${language.shot}`);

      // At phone width the message wraps and the long code line scrolls inside its block.
      await page.setViewportSize({ width: 390, height: 844 });
      await waitUntil('the message fits the phone', async () => {
        const box = await text.boundingBox();
        return box !== null && box.x >= 0 && box.x + box.width <= 390;
      });
      const block = await text.locator('pre.code-block').evaluate((pre) => ({ right: pre.getBoundingClientRect().right, scrolls: pre.scrollWidth > pre.clientWidth }));
      assert.ok(block.right <= 390, `the code block stays on the screen (right edge at ${block.right})`);
      assert.ok(block.scrolls, 'the long line scrolls inside the block');
      await message.scrollIntoViewIfNeeded();
      await saveScreenshot(page, `rich-message-${language.shot}-390`);

      assert.deepEqual(outside, [], 'no link preview, image or anything else was fetched from elsewhere');
    });
  });
}
