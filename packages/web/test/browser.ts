import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SendGuardPolicy } from '@enclave/protocol';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Clock, ConfigInput } from '../../server/src/index';
import { startTestServer, type TestServer } from '../../server/test/harness';

const distIndex = fileURLToPath(new URL('../dist/index.html', import.meta.url));
const screenshotsDir = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/** How long any wait for the page may take before the test fails; generous for a loaded CI machine. */
const WAIT_MS = 15_000;

/** The browser tests serve the built client; building it is the test script's job (`npm run build:web`). */
export function requireWebBuild(): void {
  if (!existsSync(distIndex)) {
    throw new Error(`The web client is not built (${distIndex} is missing). Run \`npm run build:web\` before the browser tests.`);
  }
}

/** Debian's Chromium, never a downloaded browser; flags keep it from reaching the network on its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function newContext(browser: Browser, baseURL: string, locale = 'en'): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(WAIT_MS);
  return context;
}

/** Signs in through the English sign-in form and waits for the conversation list, which loads once the stream is live. */
export async function signIn(context: BrowserContext, username: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('heading', { name: 'Channels' }).waitFor();
  return page;
}

/** The messages of the open room, one article each. */
export function messagesOf(page: Page) {
  return page.getByRole('log').getByRole('article');
}

/** Polls a condition the page cannot express as a locator state, failing after the usual wait. */
export async function waitUntil(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: `${screenshotsDir}${name}.png` });
}

/** What a browser suite runs against: the real server serving the built client, and Debian's Chromium. */
export interface BrowserSuite {
  server: TestServer;
  browser: Browser;
}

/**
 * Everyone works every hour of every day, so that what a suite sees (notifications, the off-work banner) never depends
 * on the hour it runs at; a suite about work hours makes its people off by do-not-disturb or leave.
 */
const ALWAYS_AT_WORK = { hours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }, timeZone: 'UTC' };

/**
 * `clock`: the time the server goes by (scheduled sends, work hours), for suites that move it on instead of waiting;
 * `config`: settings of the server's own (an SMTP server for the e-mail suite).
 */
export async function startBrowserSuite(options: { clock?: Clock; config?: Partial<ConfigInput> } = {}): Promise<BrowserSuite> {
  requireWebBuild();
  const server = await startTestServer({ serveWeb: true, ...(options.clock ? { build: { clock: options.clock } } : {}), ...(options.config ? { config: options.config } : {}) });
  await server.admin.client.endpoint('setWorkHoursPolicy')({ body: { organisation: ALWAYS_AT_WORK } });
  return { server, browser: await launchBrowser() };
}

/**
 * A fresh installation's send guard (a question only for rooms with guests and for confidential labels), stated
 * here so that the suites relying on it keep their meaning if the installation's default changes.
 */
const PLAIN_ROOM_SEND_GUARD: SendGuardPolicy = { guests: true, otherDepartments: false, membersAbove: null, labelAtOrAbove: 'confidential', files: false };

/** A browser suite whose server asks no guard question for a plain room's message. */
export async function startBrowserSuiteWithPlainGuard(options: { clock?: Clock } = {}): Promise<BrowserSuite> {
  const suite = await startBrowserSuite(options);
  await suite.server.admin.client.endpoint('updateAdminSettings')({ body: { sendGuard: PLAIN_ROOM_SEND_GUARD } });
  return suite;
}

export async function stopBrowserSuite(suite: Partial<BrowserSuite>): Promise<void> {
  await suite.browser?.close();
  await suite.server?.close();
}

/** Opens a room from the sidebar and waits for its heading. */
export async function openRoom(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Types a message into the composer labelled `label`, sends it with Enter and waits until it is shown. */
export async function sendFromComposer(page: Page, label: string, text: string): Promise<void> {
  await page.getByLabel(label).fill(text);
  await page.getByLabel(label).press('Enter');
  await messagesOf(page).filter({ hasText: text }).waitFor();
}

/** Sets how long a sent message waits for Undo, in the account dialog, as the person would. */
export async function chooseUndoSendSeconds(page: Page, seconds: number): Promise<void> {
  await page.getByRole('button', { name: 'Account' }).click();
  const account = page.getByRole('dialog', { name: 'Your account' });
  await account.getByLabel('Undo send').selectOption(String(seconds));
  await account.getByRole('button', { name: 'Save' }).click();
  await account.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await account.getByRole('button', { name: 'Close' }).click();
}
