import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EnclaveClient } from '@enclave/sdk';
import { photoLikeJpeg } from './bench-files';
import { signInAdmin } from './enclave-setup';
import { ServerProcess } from './server-process';

/** What fingerprinting (provenance/: SHA-256, the image's perceptual hash) adds to uploading a large photo. */
export interface UploadFingerprintFigures {
  photoBytes: number;
  uploads: number;
  /** Median milliseconds per upload, each measured from the request to its answer. */
  medianOffMs: number;
  medianOnMs: number;
  /** medianOn / medianOff; issue 13's target is at most 1.10. */
  ratio: number;
}

export const UPLOAD_SETTINGS = { photos: 4, rounds: 20, width: 3000, height: 2250 } as const;

/**
 * Two fresh server processes, identical but for ENCLAVE_FINGERPRINTS (off: the baseline), take the same uploads of
 * 5 MB photos in turns, one upload at a time, alternating which goes first in each round so that neither profits
 * from a warm disk cache. The first round only warms up and is not counted.
 */
export async function measureUploadFingerprinting(options: { pin: boolean }, log: (line: string) => void): Promise<UploadFingerprintFigures> {
  const photos = await Promise.all(Array.from({ length: UPLOAD_SETTINGS.photos }, (_, index) => photoLikeJpeg(index, UPLOAD_SETTINGS.width, UPLOAD_SETTINGS.height)));
  log(`upload fingerprinting: ${photos.length} photos of ${(photos[0]!.length / 1e6).toFixed(1)} MB, ${UPLOAD_SETTINGS.rounds} rounds, fingerprints off and on`);
  const lanes = await Promise.all((['off', 'on'] as const).map((fingerprints) => startLane(fingerprints, options.pin)));
  try {
    const times: Record<'off' | 'on', number[]> = { off: [], on: [] };
    for (let round = 0; round <= UPLOAD_SETTINGS.rounds; round += 1) {
      const order = round % 2 === 0 ? lanes : [...lanes].reverse();
      for (const lane of order) {
        const photo = photos[round % photos.length]!;
        const started = performance.now();
        await lane.client.uploadFile(lane.roomId, new Blob([photo], { type: 'image/jpeg' }), { name: `photo-${round}.jpg` });
        if (round > 0) times[lane.fingerprints].push(performance.now() - started);
      }
    }
    const medianOffMs = median(times.off);
    const medianOnMs = median(times.on);
    return { photoBytes: photos[0]!.length, uploads: times.on.length, medianOffMs, medianOnMs, ratio: medianOnMs / medianOffMs };
  } finally {
    for (const lane of lanes) await lane.stop();
  }
}

export function formatUploadFingerprinting(figures: UploadFingerprintFigures): string {
  return `upload of a ${(figures.photoBytes / 1e6).toFixed(1)} MB photo: ${figures.medianOffMs.toFixed(1)} ms without fingerprints, ${figures.medianOnMs.toFixed(1)} ms with (median of ${figures.uploads}): ×${figures.ratio.toFixed(3)} (target ≤ 1.10)`;
}

async function startLane(fingerprints: 'off' | 'on', pin: boolean) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `enclave-bench-upload-${fingerprints}-`));
  const adminPassword = randomBytes(12).toString('hex');
  const env = { ENCLAVE_DATA_DIR: dataDir, ENCLAVE_ADMIN_PASSWORD: adminPassword, ENCLAVE_PASSWORD_HASH_COST: '10', ENCLAVE_LOG_LEVEL: 'silent', ENCLAVE_FINGERPRINTS: fingerprints };
  const server = await ServerProcess.start('enclave', { env, pin });
  const client: EnclaveClient = await signInAdmin(server.url, adminPassword);
  const { room } = await client.endpoint('createRoom')({ body: { kind: 'group', name: 'uploads', memberIds: [] } });
  return {
    fingerprints,
    client,
    roomId: room.id,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
