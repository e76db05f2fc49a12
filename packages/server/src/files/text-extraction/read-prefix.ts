import { open } from 'node:fs/promises';

/** The first `maxBytes` bytes of a file, and whether the file holds more than that. */
export async function readPrefix(filePath: string, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(Math.min(size, maxBytes));
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytes: bytes.subarray(0, filled), truncated: size > maxBytes };
  } finally {
    await handle.close();
  }
}
