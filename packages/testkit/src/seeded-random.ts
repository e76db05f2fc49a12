/**
 * A small seeded generator (mulberry32), so that a fuzz run or a generated data set is the same every time for
 * the same seed, and a failing run can be replayed from the seed it prints. Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [0, below) drawn from `random`. */
export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

/** One of the items, drawn from `random`. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[randomInt(random, items.length)]!;
}
