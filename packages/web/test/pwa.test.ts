import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../../server/test/harness';
import { newContext, startBrowserSuite, stopBrowserSuite } from './browser';

describe('the installable app', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('the page names a web app manifest with icons, served from our own origin', async () => {
    const page = await (await newContext(browser, server.url)).newPage();
    await page.goto('/');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    assert.equal(href, '/manifest.webmanifest');
    const manifest = (await (await fetch(`${server.url}${href}`)).json()) as { display: string; start_url: string; icons: { sizes: string }[] };
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, '/');
    assert.ok(manifest.icons.some((icon) => icon.sizes === '512x512'));
  });

  test('once visited, the app opens without a network, says so, and recovers; the API is never cached', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Username').waitFor();
    assert.equal(await page.evaluate('navigator.serviceWorker.ready.then((registration) => Boolean(registration.active))'), true);
    // The first load happened before the worker controlled the page; a reload lets it serve and cache the shell.
    await page.reload();
    await page.getByLabel('Username').waitFor();
    await context.setOffline(true);
    await page.reload();
    // The shell (page, script, styles) came from the cache: the app runs and says the server is out of reach.
    await page.getByText('Enclave cannot reach its server right now.').waitFor();
    const cachedApi = await page.evaluate("caches.open('enclave-shell-v1').then((cache) => cache.keys()).then((keys) => keys.filter((k) => new URL(k.url).pathname.startsWith('/api/')).length)");
    assert.equal(cachedApi, 0);
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByLabel('Username').waitFor();
  });
});
