/**
 * The `HttpClientResponse` of `UndiciHttpClient`: status and headers from the answer's head
 * (headers parsed on first use), the body from its `Exchange`, read whole (`text`, `json`,
 * `arrayBuffer`, `formData`, `urlParamsBody`, and the bounded read of the client's answer
 * reader) or as a stream.
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { IncomingHttpHeaders } from "node:http"
import type { Collected, Exchange } from "./undiciExchange.js"

const decoder = new TextDecoder()

const joined = (parts: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (parts.length === 1) return parts[0]!
  const all = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  return all
}

/**
 * An answer received over undici.
 *
 * @internal
 */
export class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private platformHeaders: Headers.Headers | undefined = undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    /** As undici parses them: lower-case names, a repeated name's values in an array. */
    private readonly received: IncomingHttpHeaders,
    private readonly exchange: Exchange
  ) {
    super()
  }

  /** A name sent more than once has its values joined with `, `. */
  get headers(): Headers.Headers {
    return this.platformHeaders ??= Headers.fromInput(this.received)
  }

  get cookies(): Cookies.Cookies {
    const setCookie = this.received["set-cookie"]
    return setCookie === undefined ? Cookies.empty : Cookies.fromSetCookie(setCookie)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  /** The body whole, or that it is over `max` bytes (the request is then aborted). */
  read(max: number): Effect.Effect<Collected, HttpClientError.ResponseError> {
    return this.exchange.collect(max)
  }

  private bytes(): Effect.Effect<Uint8Array, HttpClientError.ResponseError> {
    return Effect.map(this.exchange.collect(Number.POSITIVE_INFINITY), ({ parts, size }) => joined(parts, size))
  }

  private decodeWith<A>(f: (text: string) => A): Effect.Effect<A, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => f(text),
        catch: (cause) =>
          new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
      }))
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.bytes(), (bytes) => decoder.decode(bytes))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return this.decodeWith((text): unknown => text === "" ? null : JSON.parse(text))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return this.decodeWith((text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.bytes(), (bytes) => {
      const copy = new Uint8Array(bytes.length)
      copy.set(bytes)
      return copy.buffer
    })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.bytes(), (bytes) =>
      Effect.tryPromise({
        try: () => {
          const contentType = this.headers["content-type"]
          return new Response(
            new Uint8Array(bytes),
            contentType === undefined ? {} : { headers: { "content-type": contentType } }
          )
            .formData()
        },
        catch: (cause) =>
          new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    const exchange = this.exchange
    return Stream.repeatEffectChunkOption(exchange.pull()).pipe(
      Stream.ensuring(Effect.sync(() => exchange.abort()))
    )
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
