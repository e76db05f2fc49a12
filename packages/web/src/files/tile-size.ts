import type { FileInfo } from '@enclave/protocol';

/** The largest box a thumbnail takes in the timeline; the server's thumbnails are at most 320 pixels. */
const TILE_WIDTH = 320;
const TILE_HEIGHT = 240;

/** Fits the image into the tile's box, never enlarging it; without known dimensions the stylesheet's box applies. */
export function tileSize(file: Pick<FileInfo, 'width' | 'height'>): { width: number; height: number } | undefined {
  if (!file.width || !file.height) return undefined;
  const scale = Math.min(1, TILE_WIDTH / file.width, TILE_HEIGHT / file.height);
  return { width: Math.max(1, Math.round(file.width * scale)), height: Math.max(1, Math.round(file.height * scale)) };
}
