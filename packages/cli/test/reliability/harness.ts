/**
 * Shared pieces of the CLI's reliability tests: the suite's seed and a small seeded
 * generator (the same as the api package's reliability harness).
 */

/** The suite's seed: `RELIABILITY_SEED` or a fixed default, so every run draws the same inputs. */
export const seed = Number(process.env.RELIABILITY_SEED ?? 20261122)

/** A small seeded generator (mulberry32). */
export const rng = (s: number) => {
  let state = s >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return {
    next,
    int,
    pick: <A>(items: ReadonlyArray<A>): A => items[int(items.length)] as A,
    chance: (p: number) => next() < p
  }
}
