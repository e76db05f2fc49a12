import type { Page } from 'playwright-core';
import { waitUntil } from './browser';

/** A file as the browser's file chooser hands it over. */
export interface Upload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** A UTF-8 text file. */
export function textFile(name: string, text: string): Upload {
  return { name, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') };
}

/** Picks files with the composer's paper clip, through the system file chooser. */
export async function attach(page: Page, files: Upload[], button = 'Attach files'): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: button }).click();
  await (await chooser).setFiles(files);
}

/** Waits until every chosen file has uploaded: the send button comes back once nothing is uploading. */
export async function waitForUploads(page: Page, send = 'Send'): Promise<void> {
  await page.getByRole('list', { name: /Files to send|待发送的文件/ }).getByRole('listitem').first().waitFor();
  await waitUntil('the uploads finished', async () => (await page.locator('.attachment--uploading').count()) === 0);
  await waitUntil('the message can be sent', () => page.getByRole('button', { name: send, exact: true }).isEnabled());
}
