/**
 * The bounded reading of an answer body that the transport holds as a Node `Readable`
 * (`NodeHttpClient.layerUndici`: undici's body; `NodeHttpClient.layer`: node:http's
 * `IncomingMessage`), read through its events: the same bytes, limit and errors as reading
 * `response.stream`, without an Effect `Stream` (whose setup cost about 350 µs of CPU per
 * answer, more than the rest of a request). Any other transport is read as a stream.
 *
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import { Readable } from "node:stream"

/**
 * The response's body as a Node `Readable` not read yet, if the transport holds it so.
 *
 * @internal
 */
export const readable = (response: HttpClientResponse.HttpClientResponse): Readable | undefined => {
  const source: unknown = Predicate.hasProperty(response, "source") ? response.source : undefined
  const body: unknown = source instanceof Readable
    ? source
    : Predicate.hasProperty(source, "body")
    ? source.body
    : undefined
  return body instanceof Readable && !body.readableDidRead && !body.destroyed ? body : undefined
}

/**
 * The body's chunks and their size, or that it went over `max` bytes (its size so far). The
 * reading stops there; the attempt's scope then aborts the request.
 *
 * @internal
 */
export const read = (
  response: HttpClientResponse.HttpClientResponse,
  body: Readable,
  max: number
): Effect.Effect<
  { readonly parts: ReadonlyArray<Uint8Array>; readonly size: number; readonly over: boolean },
  HttpClientError.ResponseError
> =>
  Effect.async((resume) => {
    const parts: Array<Uint8Array> = []
    let size = 0
    const cleanup = () => {
      body.off("data", onData)
      body.off("end", onEnd)
      body.off("error", onError)
      body.off("close", onClose)
    }
    const onData = (chunk: Uint8Array) => {
      size += chunk.length
      if (size > max) {
        cleanup()
        body.pause()
        parts.length = 0
        resume(Effect.succeed({ parts, size, over: true }))
      } else {
        parts.push(chunk)
      }
    }
    const onEnd = () => {
      cleanup()
      resume(Effect.succeed({ parts, size, over: false }))
    }
    const fail = (cause: unknown) => {
      cleanup()
      resume(
        Effect.fail(new HttpClientError.ResponseError({ request: response.request, response, reason: "Decode", cause }))
      )
    }
    const onError = (cause: unknown) => fail(cause)
    // closed without an end or an error: the answer was cut short
    const onClose = () => fail(new Error("the answer ended before its body was complete"))
    body.on("data", onData)
    body.on("end", onEnd)
    body.on("error", onError)
    body.on("close", onClose)
    return Effect.sync(cleanup)
  })
