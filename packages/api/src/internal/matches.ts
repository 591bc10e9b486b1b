import * as Predicate from "effect/Predicate"

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const named = (u: unknown): u is { readonly name: string } =>
  Predicate.hasProperty(u, "name") && typeof u.name === "string"

/**
 * Whether a stored record holds everything that was sent: every field of `sent` (as JSON) is
 * present in `stored` with an equal value, recursively. Lists must have the same length; lists
 * of named entries (env vars, files) are matched by name. The value of a secret env var
 * (`isSecret: true`) cannot be compared, since the API never returns it.
 *
 * @internal
 */
export const sentMatches = (sent: unknown, stored: unknown): boolean => {
  if (sent === undefined) return true
  if (sent === null) return stored === null || stored === undefined
  if (Array.isArray(sent)) {
    if (!Array.isArray(stored) || stored.length !== sent.length) return false
    if (sent.every(named) && stored.every(named)) {
      const byName = new Map<string, unknown>()
      for (const entry of stored) byName.set(entry.name, entry)
      return sent.every((entry) => byName.has(entry.name) && sentMatches(entry, byName.get(entry.name)))
    }
    return sent.every((entry, i) => sentMatches(entry, stored[i]))
  }
  if (isObject(sent)) {
    if (!isObject(stored)) return false
    const secret = sent.isSecret === true
    for (const key of Object.keys(sent)) {
      if (secret && key === "value") continue
      if (!sentMatches(sent[key], stored[key])) return false
    }
    return true
  }
  return sent === stored
}
