import { randomBytes, randomUUID } from 'node:crypto';
import { openText, sealText } from '@enclave/server';
import { cpuMicros } from './bench-ipc';

/**
 * What sealing and opening one message text costs, in this process, with the server's own AES-256-GCM code: CPU
 * time, not wall time, so a machine busy with other work slows the figure less than it would a stopwatch's.
 */
export interface SealCostFigures {
  textBytes: number;
  /** Seal+open pairs timed, in `batches` batches; each figure is the median batch's CPU microseconds per text. */
  pairs: number;
  batches: number;
  sealMicros: number;
  openMicros: number;
  /** The stored form's length against the text's: what sealing adds to the database. */
  storedBytes: number;
}

export interface SealCostSettings {
  textBytes: number;
  pairs: number;
  batches: number;
  /** Untimed pairs first, so V8 and OpenSSL are warm. */
  warmup: number;
}

export const SEAL_COST_SETTINGS: SealCostSettings = { textBytes: 200, pairs: 20_000, batches: 5, warmup: 2_000 };

/**
 * Times `sealText` and `openText` (the server's code: AES-256-GCM from node's crypto, a fresh 12-byte IV, the row's
 * name as associated data, base64url behind the sealed prefix) on a message text of about 200 bytes, Chinese and
 * English mixed, as a chat line is. A send seals once; a history page of 50 opens 50; a delivery opens nothing
 * (the server fans the text out from memory). The figure predicts what encryption can cost before it is measured.
 */
export function measureSealCost(settings: SealCostSettings = SEAL_COST_SETTINGS): SealCostFigures {
  const key = randomBytes(32);
  const aad = `message/${randomUUID()}/${randomUUID()}/current`;
  const text = textOfBytes(settings.textBytes);
  let stored = sealText(key, aad, text);
  for (let i = 0; i < settings.warmup; i++) openText(key, aad, sealText(key, aad, text));
  const perBatch = Math.max(1, Math.floor(settings.pairs / settings.batches));
  const seals: number[] = [];
  const opens: number[] = [];
  for (let batch = 0; batch < settings.batches; batch++) {
    const sealed: string[] = new Array<string>(perBatch);
    let startedAt = cpuMicros();
    for (let i = 0; i < perBatch; i++) sealed[i] = sealText(key, aad, text);
    seals.push((cpuMicros() - startedAt) / perBatch);
    startedAt = cpuMicros();
    for (let i = 0; i < perBatch; i++) if (openText(key, aad, sealed[i]!).length !== text.length) throw new Error('a sealed text did not open to itself');
    opens.push((cpuMicros() - startedAt) / perBatch);
    stored = sealed[0]!;
  }
  return {
    textBytes: Buffer.byteLength(text),
    pairs: perBatch * settings.batches,
    batches: settings.batches,
    sealMicros: median(seals),
    openMicros: median(opens),
    storedBytes: Buffer.byteLength(stored),
  };
}

export function formatSealCost(figures: SealCostFigures): string {
  return (
    `AES-256-GCM on a ${figures.textBytes}-byte text (the server's sealText/openText, median of ${figures.batches} batches of ${figures.pairs / figures.batches}): ` +
    `seal ${figures.sealMicros.toFixed(2)} µs, open ${figures.openMicros.toFixed(2)} µs of CPU; stored ${figures.storedBytes} bytes`
  );
}

/** A chat line of exactly `bytes` UTF-8 bytes: English words and Chinese characters (3 bytes each) mixed. */
function textOfBytes(bytes: number): string {
  const words = ['deploy', '部署', 'the', 'server', '失败', 'error', '文件', 'upload', '会议', 'review'];
  let text = '';
  for (let i = 0; Buffer.byteLength(text) < bytes - 12; i++) text += `${words[i % words.length]} `;
  while (Buffer.byteLength(text) < bytes) text += '.';
  return text;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
