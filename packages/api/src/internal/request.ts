/**
 * Requests: where they go (base URL and prefix), the headers every request carries (built
 * once per method), and the transport's redirect handling.
 *
 * @internal
 */
import { Operation } from "@effect-apify/domain"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { PreparedBody } from "./body.js"

/**
 * Where requests go.
 *
 * @internal
 */
export interface Target {
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string
  /** The path prefix, `""` or `/` and segments without a trailing slash. */
  readonly pathPrefix: string
  /** The base URL and the prefix: a request's URL is this and its path. */
  readonly urlPrefix: string
  /** The base URL's path and the prefix: a path in an error is this and the request's path. */
  readonly errorPrefix: string
  /** `urlPrefix` per base of the contract: the Actor operations use the prefix, the others `/v2`. */
  readonly urlPrefixes: Readonly<Record<Operation.Base, string>>
  /** `errorPrefix` per base of the contract. */
  readonly errorPrefixes: Readonly<Record<Operation.Base, string>>
}

const urlPath = (url: string): string => {
  try {
    return new URL(url).pathname.replace(/\/+$/, "")
  } catch {
    // An invalid base URL fails each request with a TransportError (reason InvalidUrl).
    return ""
  }
}

/**
 * The target of a base URL and a prefix, both normalised.
 *
 * @internal
 */
export const target = (baseUrl: string | URL, prefix: string): Target => {
  const base = String(baseUrl).replace(/\/+$/, "")
  const pathPrefix = prefix === "" ? "" : `/${prefix.replace(/^\/+|\/+$/g, "")}`
  const basePath = urlPath(base)
  const api = Operation.bases.api[0]
  return {
    baseUrl: base,
    pathPrefix,
    urlPrefix: base + pathPrefix,
    errorPrefix: basePath + pathPrefix,
    urlPrefixes: { actors: base + pathPrefix, api: base + api },
    errorPrefixes: { actors: basePath + pathPrefix, api: basePath + api }
  }
}

/**
 * One request per method with the headers set, built once: a request only sets its URL.
 *
 * @internal
 */
export const templates = (
  userAgent: string,
  authorization: string | undefined
): Record<Operation.Method, HttpClientRequest.HttpClientRequest> => {
  const headers: Record<string, string> = { "user-agent": userAgent }
  if (authorization !== undefined) headers.authorization = authorization
  return {
    GET: HttpClientRequest.get("", { headers }),
    POST: HttpClientRequest.post("", { headers }),
    PUT: HttpClientRequest.put("", { headers }),
    DELETE: HttpClientRequest.del("", { headers })
  }
}

/**
 * A request from its method's template, its URL and its body.
 *
 * @internal
 */
export const build = (
  template: HttpClientRequest.HttpClientRequest,
  url: string,
  body: PreparedBody | undefined
): HttpClientRequest.HttpClientRequest => {
  let request = HttpClientRequest.setUrl(template, url)
  if (body !== undefined) {
    request = HttpClientRequest.setBody(request, body.body)
    if (body.encoding !== undefined) request = HttpClientRequest.setHeader(request, "content-encoding", body.encoding)
  }
  return request
}

/**
 * The request without its `Authorization` header: for an origin other than the API's.
 *
 * @internal
 */
export const withoutToken = (request: HttpClientRequest.HttpClientRequest): HttpClientRequest.HttpClientRequest =>
  HttpClientRequest.make(request.method)(request.url, {
    urlParams: request.urlParams,
    headers: Headers.remove(request.headers, "authorization"),
    body: request.body
  })

// Clients that never read `FetchHttpClient.RequestInit`: `noRedirects` leaves them as they are.
const ignoringRequestInit = new WeakSet<HttpClient.HttpClient>()

/**
 * Marks `client` as one that never reads `FetchHttpClient.RequestInit` (`UndiciHttpClient`):
 * `noRedirects` then costs it nothing per request. A client made from it (`transformClient`) is
 * not marked.
 *
 * @internal
 */
export const ignoresRequestInit = (client: HttpClient.HttpClient): HttpClient.HttpClient => {
  ignoringRequestInit.add(client)
  return client
}

/**
 * A client that never follows a redirect: `fetch` would otherwise take the answer of whatever
 * origin a 3xx names as the API's (and resend a 307/308 body there). The Node transports never
 * follow; a client that never reads `RequestInit` is returned as it is.
 *
 * @internal
 */
export const noRedirects = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  ignoringRequestInit.has(client) ? client : HttpClient.transform(
    client,
    (effect) =>
      Effect.contextWithEffect((context) =>
        Effect.provideService(effect, FetchHttpClient.RequestInit, {
          ...Option.getOrElse(Context.getOption(context, FetchHttpClient.RequestInit), () => ({})),
          redirect: "manual"
        })
      )
  )
