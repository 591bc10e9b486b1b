/**
 * The bounded reading of an answer body that the transport holds as a web `ReadableStream`
 * (`FetchHttpClient.layer`, and the emulator's in-memory client, which is built on it), read
 * chunk by chunk with its reader: the same bytes, limit and errors as reading
 * `response.stream`, without an Effect `Stream` (whose setup costs more than the rest of a
 * request). A chunk past the limit stops the reading; the attempt's scope then aborts the
 * request, which also ends the reader.
 *
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"

/**
 * The response's body as a web `ReadableStream` not read yet, if the transport holds it so.
 *
 * @internal
 */
export const readable = (response: HttpClientResponse.HttpClientResponse): ReadableStream<Uint8Array> | undefined => {
  const source: unknown = Predicate.hasProperty(response, "source") ? response.source : undefined
  return source instanceof Response && !source.bodyUsed && source.body !== null && !source.body.locked
    ? source.body
    : undefined
}

/**
 * The body's chunks and their size, or that it went over `max` bytes (its size so far).
 *
 * @internal
 */
export const read = (
  response: HttpClientResponse.HttpClientResponse,
  body: ReadableStream<Uint8Array>,
  max: number
): Effect.Effect<
  { readonly parts: ReadonlyArray<Uint8Array>; readonly size: number; readonly over: boolean },
  HttpClientError.ResponseError
> =>
  Effect.suspend(() => {
    const reader = body.getReader()
    const parts: Array<Uint8Array> = []
    let size = 0
    const next = Effect.tryPromise({
      try: () => reader.read(),
      catch: (cause) =>
        new HttpClientError.ResponseError({ request: response.request, response, reason: "Decode", cause })
    })
    const step = (): Effect.Effect<
      { readonly parts: ReadonlyArray<Uint8Array>; readonly size: number; readonly over: boolean },
      HttpClientError.ResponseError
    > =>
      Effect.flatMap(next, (chunk) => {
        if (chunk.done) return Effect.succeed({ parts, size, over: false })
        size += chunk.value.length
        if (size > max) {
          parts.length = 0
          return Effect.succeed({ parts, size, over: true })
        }
        parts.push(chunk.value)
        return step()
      })
    return step()
  })
