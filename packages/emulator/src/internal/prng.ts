/**
 * A small seeded pseudo-random generator (mulberry32) with its state as a plain number,
 * so draws can happen inside `Ref.modify` and replay exactly from the same seed.
 *
 * @internal
 */

/** @internal */
export const next = (state: number): readonly [number, number] => {
  const s = (state + 0x6d2b79f5) | 0
  let t = Math.imul(s ^ (s >>> 15), 1 | s)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, s]
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** @internal */
export const id = (state: number, length = 17): readonly [string, number] => {
  let out = ""
  let s = state
  for (let i = 0; i < length; i++) {
    const [x, s2] = next(s)
    s = s2
    out += alphabet[Math.floor(x * alphabet.length)] ?? "A"
  }
  return [out, s]
}
