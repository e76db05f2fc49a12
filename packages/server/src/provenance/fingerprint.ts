import type { CopyMatch } from '@enclave/protocol';
import type { FingerprintRow } from './provenance.repository';
import { hammingDistance, IMAGE_HASH_MAX_DISTANCE, imageBands } from './image-hash';
import { decodeSignature, encodeSignature, signatureSimilarity, TEXT_SIMILARITY_THRESHOLD, textBands } from './text-shingles';

/** What is known of an item's content: hashes only. */
export interface Fingerprint {
  sha256: string | null;
  imageHash: string | null;
  textSignature: number[] | null;
}

export const noFingerprint: Fingerprint = { sha256: null, imageHash: null, textSignature: null };

export function bandsOf(fingerprint: Fingerprint): string[] {
  return [...(fingerprint.imageHash ? imageBands(fingerprint.imageHash) : []), ...(fingerprint.textSignature ? textBands(fingerprint.textSignature) : [])];
}

export function storedHashes(fingerprint: Fingerprint): { sha256: string | null; image_hash: string | null; text_signature: string | null } {
  return {
    sha256: fingerprint.sha256,
    image_hash: fingerprint.imageHash,
    text_signature: fingerprint.textSignature ? encodeSignature(fingerprint.textSignature) : null,
  };
}

/** How a stored item matches a new fingerprint, strongest evidence first; null when it does not. */
export function matchOf(fingerprint: Fingerprint, stored: FingerprintRow): Exclude<CopyMatch, 'forward'> | null {
  if (fingerprint.sha256 !== null && stored.sha256 === fingerprint.sha256) return 'exact';
  if (fingerprint.imageHash !== null && stored.image_hash !== null && hammingDistance(fingerprint.imageHash, stored.image_hash) <= IMAGE_HASH_MAX_DISTANCE) return 'perceptual';
  if (
    fingerprint.textSignature !== null &&
    stored.text_signature !== null &&
    signatureSimilarity(fingerprint.textSignature, decodeSignature(stored.text_signature)) >= TEXT_SIMILARITY_THRESHOLD
  ) {
    return 'text-similar';
  }
  return null;
}
