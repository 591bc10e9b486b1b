/**
 * A lean `HttpClient` over undici's `Dispatcher`, as a transport of its own: it is an
 * `@effect/platform` `HttpClient`, so it swaps with `NodeHttpClient.layerUndici`,
 * `NodeHttpClient.layer` or `FetchHttpClient.layer` wherever one is provided.
 *
 * Each request goes to the dispatcher with a handler of its own (no promise, no Node
 * `Readable`, no abort listener of undici's), and its answer's body is handed over as it
 * arrived: whole (`text`, `json`, `arrayBuffer`, `formData`, `urlParamsBody`) or as a `Stream`.
 * Request bodies: bytes, text, `FormData` (encoded as `fetch` encodes it) and `Stream`s (sent
 * as they are pulled, with the `Content-Length` set on the body, if any). Timeouts are left to Effect (undici's own are off).
 *
 * Interrupting a request, or closing the scope it is tied to (`HttpClient.withScope`), aborts
 * it and destroys its socket; so does a body stream that ends before the body does. A transport
 * failure before the answer's head is a `RequestError` (`Transport`), one while reading its
 * body a `ResponseError` (`Decode`), as on the other transports.
 *
 * undici is an optional peer dependency, loaded when the layer is built (not when this module
 * is imported).
 *
 * @example
 * ```ts
 * import { Apify, UndiciHttpClient } from "@effect-apify/api"
 * import * as Layer from "effect/Layer"
 * import * as Redacted from "effect/Redacted"
 *
 * const ApifyLive = Apify.layer({ token: Redacted.make("apify_api_...") }).pipe(
 *   Layer.provide(UndiciHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import type { Agent, Dispatcher } from "undici"
import * as Request from "./internal/request.js"
import { Exchange, type ToResponse } from "./internal/undiciExchange.js"
import { UndiciResponse } from "./internal/undiciResponse.js"

const toResponse: ToResponse = (exchange, status, headers) =>
  new UndiciResponse(exchange.request, status, headers, exchange)

// What undici sends: its declared body types and any async iterable.
type Sent = NonNullable<Dispatcher.DispatchOptions["body"]> | null
type Body = Sent | AsyncIterable<Uint8Array>

const dispatch = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal,
  body: Body,
  headers: Headers.Headers = request.headers
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const exchange = new Exchange(request, signal, toResponse, resume)
    const sent = body !== null && typeof body === "object" && Symbol.asyncIterator in body
      ? exchange.track(body)
      : body
    dispatcher.dispatch({
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method,
      headers,
      // undici sends any async iterable, though its types list only the others
      body: sent as Sent,
      // the timeouts are Effect's
      headersTimeout: 0,
      bodyTimeout: 0
    }, exchange)
    return Effect.sync(() => exchange.abort())
  })

/**
 * The client over `dispatcher` (an undici `Agent`, `Pool` or `Client`). The dispatcher stays
 * yours: close it when done. No redirect is followed unless the dispatcher does so itself
 * (undici's redirect interceptor).
 *
 * @since 0.1.0
 */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  Request.ignoresRequestInit(HttpClient.make((request, url, signal) => {
    const body = request.body
    switch (body._tag) {
      case "Empty":
        return dispatch(dispatcher, request, url, signal, null)
      case "Uint8Array":
        return dispatch(dispatcher, request, url, signal, body.body)
      case "Raw":
        // a string, bytes, a Node `Readable` or an async iterable; undici refuses anything else
        return dispatch(dispatcher, request, url, signal, body.body as Body)
      case "FormData": {
        // encoded as fetch does (undici's dispatcher takes only its own FormData class)
        const encoded = new Response(body.formData)
        return dispatch(
          dispatcher,
          request,
          url,
          signal,
          encoded.body as ReadableStream<Uint8Array> & AsyncIterable<Uint8Array>,
          Headers.set(request.headers, "content-type", encoded.headers.get("content-type")!)
        )
      }
      case "Stream":
        return Effect.flatMap(
          Stream.toAsyncIterableEffect(body.stream),
          (iterable) => dispatch(dispatcher, request, url, signal, iterable)
        )
    }
  }))

const loadUndici = Effect.tryPromise(() => import("undici")).pipe(
  Effect.orDieWith((cause) =>
    new Error("UndiciHttpClient needs the undici package (an optional peer dependency): install undici", { cause })
  )
)

/**
 * The client over an undici `Agent` of its own (connections kept alive, `options` as undici's
 * `Agent` takes them), destroyed with its sockets when the layer is released.
 *
 * @since 0.1.0
 */
export const layerWith = (options: Agent.Options = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.map(
      Effect.acquireRelease(
        Effect.map(loadUndici, (undici) => new undici.Agent(options)),
        (agent) => Effect.promise(() => agent.destroy())
      ),
      make
    )
  )

/**
 * The client over an undici `Agent` of its own with undici's defaults (connections kept alive
 * 4 seconds when idle), destroyed with its sockets when the layer is released.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
