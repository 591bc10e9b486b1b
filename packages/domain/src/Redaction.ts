/**
 * Keeping secrets (the API token, secret env var values) out of text that came back from a
 * server: one rule, used by the client before it cuts or shows anything and by the CLI for the
 * values only it knows.
 *
 * A server can echo what it was sent in many shapes: as it was, JSON-escaped (once or twice,
 * or with non-ASCII as `\uXXXX`), URL-encoded, base64, in another letter case, cut in half or
 * split by an invisible character. `scrubber` replaces every one of these with `<redacted>`:
 * each form of a secret, and any run of 8 characters or more of a form, ignoring case.
 *
 * @since 0.1.0
 */

/**
 * What a secret is replaced with.
 *
 * @since 0.1.0
 */
export const redacted = "<redacted>"

/**
 * The shortest secret that is scrubbed at all: a shorter one would blank ordinary words.
 *
 * @since 0.1.0
 */
export const minSecretLength = 3

/**
 * The shortest run of a secret that is scrubbed wherever it appears (a secret at least this
 * long is also scrubbed when only part of it was echoed).
 *
 * @since 0.1.0
 */
export const minRunLength = 8

const utf8 = new TextEncoder()

const base64 = (bytes: Uint8Array): string => {
  let binary = ""
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!)
  return btoa(binary)
}

// The base64 of the secret at each of the three byte alignments it can have inside a longer
// text, keeping only the characters that depend on the secret's bytes alone.
const base64Forms = (secret: string): ReadonlyArray<string> => {
  const bytes = utf8.encode(secret)
  const out: Array<string> = []
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length)
    padded.set(bytes, shift)
    const encoded = base64(padded)
    const start = shift === 0 ? 0 : 4
    const whole = Math.floor(padded.length / 3) * 4
    const inner = encoded.slice(start, whole)
    out.push(inner, inner.replace(/\+/g, "-").replace(/\//g, "_"))
    if (shift === 0) out.push(encoded, encoded.replace(/=+$/, ""))
  }
  return out
}

const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1)

const asciiJson = (text: string): string =>
  jsonEscaped(text).replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

const urlEncoded = (text: string): ReadonlyArray<string> => {
  try {
    const encoded = encodeURIComponent(text)
    return [encoded, encoded.replace(/%20/g, "+")]
  } catch {
    // a lone surrogate has no URL encoding, so it cannot have been sent URL-encoded
    return []
  }
}

/**
 * The shapes a secret may come back in: as it is, JSON-escaped (once, twice, ASCII-only),
 * URL-encoded and base64 (standard and URL-safe, at every alignment).
 *
 * @since 0.1.0
 */
export const forms = (secret: string): ReadonlyArray<string> => {
  const json = jsonEscaped(secret)
  const all = [secret, json, jsonEscaped(json), asciiJson(secret), ...urlEncoded(secret), ...base64Forms(secret)]
  return [...new Set(all)].filter((form) => form.length >= minSecretLength)
}

/**
 * Text every token starts with, public: a run of a secret that lies inside it is not scrubbed
 * (else `APIFY_API_BASE_URL` would lose its name).
 *
 * @since 0.1.0
 */
export const publicPrefix = "apify_api_"

const publicGrams: ReadonlySet<string> = new Set(
  Array.from({ length: publicPrefix.length - minRunLength + 1 }, (_, i) => publicPrefix.slice(i, i + minRunLength))
)

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * A function that replaces, in any text, every secret of `secrets` (those of at least
 * `minSecretLength` characters) in each of its `forms`, and any run of `minRunLength`
 * characters or more of a form, ignoring letter case, with `<redacted>` (runs inside the
 * public `apify_api_` prefix excepted). Overlapping finds become one `<redacted>`.
 *
 * @example
 * ```ts
 * import { Redaction } from "@effect-apify/domain"
 *
 * const scrub = Redaction.scrubber(["apify_api_s3cr3tT0ken"])
 * scrub("token APIFY_API_S3CR3T...") // "token <redacted>..."
 * ```
 *
 * @since 0.1.0
 */
export const scrubber = (secrets: Iterable<string>): (text: string) => string => {
  const grams = new Set<string>()
  const short: Array<string> = []
  for (const secret of new Set(secrets)) {
    if (secret.length < minSecretLength) continue
    for (const form of forms(secret)) {
      if (form.length < minRunLength) {
        short.push(form)
        continue
      }
      for (let i = 0; i + minRunLength <= form.length; i++) {
        const gram = form.slice(i, i + minRunLength).toLowerCase()
        if (!publicGrams.has(gram)) grams.add(gram)
      }
    }
  }
  if (grams.size === 0 && short.length === 0) return (text) => text
  const shortPattern = short.length === 0
    ? undefined
    : new RegExp(short.sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"), "gi")
  return (text) => {
    // [start, end) of every find, in order of start
    const found: Array<readonly [number, number]> = []
    if (grams.size > 0) {
      for (let i = 0; i + minRunLength <= text.length; i++) {
        if (grams.has(text.slice(i, i + minRunLength).toLowerCase())) found.push([i, i + minRunLength])
      }
    }
    if (shortPattern !== undefined) {
      for (const match of text.matchAll(shortPattern)) found.push([match.index, match.index + match[0].length])
      found.sort((a, b) => a[0] - b[0])
    }
    if (found.length === 0) return text
    let out = ""
    let copied = 0
    let runStart = found[0]![0]
    let runEnd = found[0]![1]
    for (const [start, stop] of found) {
      if (start <= runEnd) {
        if (stop > runEnd) runEnd = stop
        continue
      }
      out += text.slice(copied, runStart) + redacted
      copied = runEnd
      runStart = start
      runEnd = stop
    }
    return out + text.slice(copied, runStart) + redacted + text.slice(runEnd)
  }
}

/**
 * The secret values in a request body: the `value` of every object marked `isSecret: true`,
 * however deep (an env var request, the `environmentVariables` of a version).
 *
 * @since 0.1.0
 */
export const secretsIn = (body: unknown): ReadonlyArray<string> => {
  const out: Array<string> = []
  const stack: Array<unknown> = [body]
  const seen = new Set<unknown>()
  while (stack.length > 0) {
    const current = stack.pop()
    if (typeof current !== "object" || current === null || seen.has(current)) continue
    seen.add(current)
    if (Array.isArray(current)) {
      for (const item of current) stack.push(item)
      continue
    }
    const record = current as Record<string, unknown>
    if (record.isSecret === true && typeof record.value === "string") out.push(record.value)
    for (const key of Object.keys(record)) stack.push(record[key])
  }
  return out
}
