/**
 * MinHash signatures of text, so that a lightly edited copy of a message or document (a few words changed, a
 * sentence moved) is still recognised. Pure and synchronous: the CPU work pool runs it inline for chat messages
 * and on a thread for documents (invariant 15).
 *
 * The text is normalised (NFKC, lower case, every run of punctuation and spaces one space), cut into overlapping
 * character 3-grams (word-free, so Chinese, which has no spaces, works like English), and each of SIGNATURE_SIZE
 * seeded hashes keeps its smallest value over the 3-grams. The share of equal positions in two signatures
 * estimates the Jaccard similarity of their 3-gram sets.
 */

/** Shorter texts (after normalising) get no signature: "ok, see you at 3" would match too much. */
export const MIN_SHINGLED_CHARS = 40;
export const SHINGLE_CHARS = 3;
export const SIGNATURE_SIZE = 64;
/** Bands of the signature stored for lookup; two texts share a band when all its rows are equal. */
export const TEXT_BANDS = 16;
const ROWS_PER_BAND = SIGNATURE_SIZE / TEXT_BANDS;
/**
 * Estimated 3-gram similarity from which a text counts as a copy. Measured in provenance-fingerprints.test.ts: a
 * message or paragraph with a few words changed or a sentence moved scores 0.55–0.9, unrelated work messages in
 * English or Chinese score under 0.15. With 16 bands of 4 rows, a pair at 0.5 becomes a candidate with
 * probability 1 − (1 − 0.5⁴)¹⁶ ≈ 0.64, at 0.6 ≈ 0.89 and at 0.7 ≈ 0.99.
 */
export const TEXT_SIMILARITY_THRESHOLD = 0.5;

export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The text's MinHash signature as 64 unsigned 32-bit values, or null when it is too short to fingerprint. */
export function textSignature(text: string): number[] | null {
  const chars = Array.from(normaliseText(text));
  if (chars.length < MIN_SHINGLED_CHARS) return null;
  const signature = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  const seen = new Set<number>();
  for (let start = 0; start + SHINGLE_CHARS <= chars.length; start += 1) {
    const shingle = fnv1a(chars.slice(start, start + SHINGLE_CHARS).join(''));
    if (seen.has(shingle)) continue;
    seen.add(shingle);
    for (let index = 0; index < SIGNATURE_SIZE; index += 1) {
      const value = mix(shingle ^ SEEDS[index]!);
      if (value < signature[index]!) signature[index] = value;
    }
  }
  return signature;
}

/** The share of positions where two signatures agree: an estimate of their texts' 3-gram similarity. */
export function signatureSimilarity(a: readonly number[], b: readonly number[]): number {
  let same = 0;
  for (let index = 0; index < SIGNATURE_SIZE; index += 1) if (a[index] === b[index]) same += 1;
  return same / SIGNATURE_SIZE;
}

/** The band keys stored and looked up for a signature: `t<band>:<hash of its rows>`. */
export function textBands(signature: readonly number[]): string[] {
  return Array.from({ length: TEXT_BANDS }, (_, band) => {
    let hash = band + 1;
    for (let row = 0; row < ROWS_PER_BAND; row += 1) hash = mix(hash ^ signature[band * ROWS_PER_BAND + row]!);
    return `t${band}:${hash.toString(16)}`;
  });
}

export function encodeSignature(signature: readonly number[]): string {
  return signature.map((value) => value.toString(16).padStart(8, '0')).join('');
}

export function decodeSignature(encoded: string): number[] {
  return Array.from({ length: SIGNATURE_SIZE }, (_, index) => parseInt(encoded.slice(index * 8, index * 8 + 8), 16));
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the whole word. */
function mix(value: number): number {
  let hash = value >>> 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** Fixed seeds, so that signatures stored yesterday compare with today's. */
const SEEDS = Array.from({ length: SIGNATURE_SIZE }, (_, index) => mix(0x9e3779b9 + index * 0x7f4a7c15));
