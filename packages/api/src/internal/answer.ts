/**
 * The one bounded reader of answer bodies, the same on every transport (`NodeHttpClient.layer`,
 * `NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, the emulator's in-memory client).
 *
 * The body is read as a stream and counted as it arrives: past `max` bytes the reading stops
 * at once (the attempt's scope then aborts the request). What is counted is what the transport
 * hands over: on `fetch` that is after decompression, so a gzip bomb stops at `max`
 * decompressed bytes; on `node:http` and undici nothing is decompressed (the client asks for
 * none), so a compressed answer is at most `max` bytes and is then "not JSON". Only an answer
 * whose `Content-Length` is within `max` and that declares no `Content-Encoding` is read in one
 * piece, since the transport then cannot hand over more than its length.
 *
 * @internal
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/** The deepest nesting of arrays and objects a decoded answer may have. */
export const maxDepth = 512

/** An answer body: its text, or that it is over the limit (and how much was seen). */
export type Answer =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "TooLarge"; readonly bytes: number }

const tooLarge = (bytes: number): Answer => ({ _tag: "TooLarge", bytes })

class Overflow {
  readonly _tag = "Overflow"
  constructor(readonly bytes: number) {}
}

const decoder = new TextDecoder()

const join = (parts: ReadonlyArray<Uint8Array>, size: number): string => {
  if (parts.length === 1) return decoder.decode(parts[0])
  const all = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  return decoder.decode(all)
}

/**
 * Reads the body of `response`, at most `max` bytes.
 */
export const read = (
  response: HttpClientResponse.HttpClientResponse,
  max: number
): Effect.Effect<Answer, HttpClientError.ResponseError> => {
  if (response.status === 204 || response.status === 304) return Effect.succeed({ _tag: "Text", text: "" })
  const length = Number(response.headers["content-length"] ?? Number.NaN)
  if (length > max) return Effect.succeed(tooLarge(length))
  const encoding = response.headers["content-encoding"]
  if (Number.isFinite(length) && (encoding === undefined || encoding === "identity")) {
    return Effect.map(response.text, (text): Answer => ({ _tag: "Text", text }))
  }
  return Effect.suspend(() => {
    const parts: Array<Uint8Array> = []
    let size = 0
    return Stream.runForEach(response.stream, (chunk) => {
      size += chunk.length
      if (size > max) return Effect.fail(new Overflow(size))
      parts.push(chunk)
      return Effect.void
    }).pipe(
      Effect.map((): Answer => ({ _tag: "Text", text: join(parts, size) })),
      Effect.catchIf((e): e is Overflow => e instanceof Overflow, (e) => {
        parts.length = 0
        return Effect.succeed(tooLarge(e.bytes))
      })
    )
  })
}

/**
 * Whether a parsed JSON value nests arrays and objects deeper than `limit`. Iterative: a
 * hostile depth cannot overflow the stack here (the decoders and `JSON.stringify` recurse).
 */
export const tooDeep = (value: unknown, limit: number = maxDepth): boolean => {
  const stack: Array<readonly [unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (typeof current !== "object" || current === null) continue
    if (depth + 1 > limit) return true
    const children: ReadonlyArray<unknown> = Array.isArray(current) ? current : Object.values(current)
    for (const child of children) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1])
    }
  }
  return false
}
