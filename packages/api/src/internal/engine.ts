/**
 * The client's engine: prepares bodies and executes endpoints (request, attempts with their
 * timeout, retries, answer). `ApifyClient.make` builds it; the services find it through the
 * `ApifyClient` service they are given.
 *
 * @internal
 */
import type { Operation } from "@effect-apify/domain"
import { Redaction } from "@effect-apify/domain"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import type * as Scope from "effect/Scope"
import * as ApifyError from "../ApifyError.js"
import type * as Retry from "../Retry.js"
import * as Answer from "./answer.js"
import * as Attempt from "./attempt.js"
import * as Body from "./body.js"
import type { Endpoint } from "./endpoint.js"
import * as Opened from "./opened.js"
import * as Request from "./request.js"
import * as RetryAfter from "./retryAfter.js"
import * as RetryLoop from "./retryLoop.js"

/**
 * What the services use of the client.
 *
 * @internal
 */
export interface Engine {
  /** Encodes, checks and compresses a body; `path` is below the prefix. */
  readonly prepareBody: <A, I>(
    encode: (value: A) => Either.Either<I, ParseResult.ParseError>,
    value: A,
    method: Operation.Method,
    path: string
  ) => Effect.Effect<Body.PreparedBody, ApifyError.InvalidRequest | ApifyError.PayloadTooLarge>
  /**
   * Sends a request to `path` (below the prefix, every segment already URL-encoded), with
   * timeout and retries, and decodes the answer. The error type lists only the statuses the
   * endpoint declares, plus the errors of every request.
   */
  readonly execute: <A, S extends Operation.ErrorStatus>(
    endpoint: Endpoint<A, S>,
    path: string,
    body?: Body.PreparedBody
  ) => Effect.Effect<A, ApifyError.ErrorFor<A, S>>
  /**
   * Sends a request like `execute` (timeout and retries up to the answer's status and headers)
   * and hands over a success answer's body as a stream, tied to the `Scope`: closing it aborts
   * the request. An error answer fails as in `execute`.
   */
  readonly open: <S extends Operation.ErrorStatus>(
    endpoint: Endpoint<void, S>,
    path: string,
    body?: Body.PreparedBody
  ) => Effect.Effect<Opened.Opened, ApifyError.ErrorFor<void, S>, Scope.Scope>
  /**
   * `open` of a whole URL instead of a path (a record's URL as a version names it): the token
   * is sent only when the URL is on the API's origin. An error names the URL's path, without
   * its query.
   */
  readonly openUrl: <S extends Operation.ErrorStatus>(
    endpoint: Endpoint<void, S>,
    url: URL
  ) => Effect.Effect<Opened.Opened, ApifyError.ErrorFor<void, S>, Scope.Scope>
  /** The path as it appears in errors: the base URL's path, the prefix of `base` and `path`. */
  readonly errorPath: (path: string, base?: Operation.Base) => string
}

/**
 * Everything the engine is built from.
 *
 * @internal
 */
export interface Settings {
  readonly target: Request.Target
  readonly templates: Record<Operation.Method, HttpClientRequest.HttpClientRequest>
  readonly attempt: Attempt.Settings
  readonly body: Body.Settings
  readonly policy: Retry.Policy
  readonly maxAnswerBytes: number
  /** Why the token cannot be sent, when it cannot: every request then fails before sending. */
  readonly badToken: string | undefined
  /** What is wrong with the base URL, if anything: every request then fails before sending. */
  readonly badBaseUrl: string | undefined
  /** What is wrong with a client or retry option, if anything: the same. */
  readonly badOption: string | undefined
}

/**
 * Builds the engine.
 *
 * @internal
 */
export const make = (settings: Settings): Engine => {
  const { maxAnswerBytes, target, templates } = settings
  // The token's scrubber, built once; a request whose body carries secret values gets its own.
  const tokenScrub = settings.attempt.scrub
  const scrubFor = (body: Body.PreparedBody | undefined) =>
    body === undefined || body.secrets.length === 0
      ? tokenScrub
      : Redaction.scrubber([...settings.body.secrets, ...body.secrets])
  const maxRetryAfter = RetryLoop.maxRetryAfterMillis(settings.policy)
  // Why no request can be sent, if so: a bad base URL (not retried), a bad option, a bad token.
  const refusal = (method: string, path: string): ApifyError.TransportError | ApifyError.InvalidRequest | undefined =>
    settings.badBaseUrl !== undefined
      ? new ApifyError.TransportError({ reason: "InvalidUrl", detail: settings.badBaseUrl, method, path, attempts: 0 })
      : settings.badOption !== undefined || settings.badToken !== undefined
      ? new ApifyError.InvalidRequest({ detail: (settings.badOption ?? settings.badToken)!, method, path })
      : undefined
  const errorPath = (path: string, base: Operation.Base = "actors") => target.errorPrefixes[base] + path

  // The success of a request whose earlier attempt did the work (`Endpoint.doneIfGone`).
  const done = <A>(path: string) => (): Effect.Effect<A> =>
    Effect.logDebug("Apify API delete was retried and found its own earlier success").pipe(
      Effect.annotateLogs({ path }),
      Effect.as(undefined as A)
    )

  // The answer's text, or `undefined` when it is over `maxAnswerBytes` (declared or counted
  // while streaming: then it is not read further, and the attempt's scope aborts it).
  const readBody = (response: HttpClientResponse.HttpClientResponse) =>
    Effect.map(Answer.read(response, maxAnswerBytes), (answer) => answer._tag === "Text" ? answer.text : undefined)

  // An error answer as the error its status stands for (its body read within the limit).
  const failure = (
    response: HttpClientResponse.HttpClientResponse,
    expected: ReadonlyArray<number>,
    from: Answer.Request
  ): Effect.Effect<never, ApifyError.HttpError> => {
    const status = response.status
    return Effect.flatMap(
      Effect.orElseSucceed(readBody(response), () => ""),
      (answer) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.fail(
            Answer.httpError(
              status,
              expected,
              answer ?? "",
              status === 429 || status >= 500 ? RetryAfter.parse(response.headers["retry-after"], now) : undefined,
              from
            )
          ))
    )
  }

  // The only origin the token goes to (none when the base URL cannot be parsed: nothing is sent then).
  const apiOrigin = URL.canParse(target.baseUrl) ? new URL(target.baseUrl).origin : undefined

  // A URL without its query and fragment (where a signature may be).
  const withoutQuery = (url: string): string =>
    URL.canParse(url) ? `${new URL(url).origin}${new URL(url).pathname}` : ""

  const openRequest = <S extends Operation.ErrorStatus>(
    endpoint: Endpoint<void, S>,
    request: HttpClientRequest.HttpClientRequest,
    fullPath: string,
    body?: Body.PreparedBody
  ): Effect.Effect<Opened.Opened, ApifyError.ErrorFor<void, S>, Scope.Scope> => {
    const method = endpoint.method
    const refused = refusal(method, fullPath)
    if (refused !== undefined) return Effect.fail(refused as ApifyError.ErrorFor<void, S>)
    const scrub = scrubFor(body)
    return Opened.open({
      attempt: { ...settings.attempt, scrub },
      request,
      apiOrigin,
      path: fullPath,
      // An error answer from where a redirect led is named by that URL, without its query.
      failure: (response, attempts) =>
        failure(response, endpoint.expected, {
          method,
          path: response.request.url === request.url ? fullPath : withoutQuery(response.request.url),
          attempts,
          scrub
        }),
      retry: (attempt) =>
        RetryLoop.run(attempt, settings.policy, maxRetryAfter, {
          operation: endpoint.operation,
          method,
          path: fullPath,
          idempotent: endpoint.idempotent
        })
    }) as Effect.Effect<Opened.Opened, ApifyError.ErrorFor<void, S>, Scope.Scope>
  }

  const open = <S extends Operation.ErrorStatus>(
    endpoint: Endpoint<void, S>,
    path: string,
    body?: Body.PreparedBody
  ): Effect.Effect<Opened.Opened, ApifyError.ErrorFor<void, S>, Scope.Scope> =>
    openRequest(
      endpoint,
      Request.build(templates[endpoint.method], target.urlPrefixes[endpoint.base] + path, body),
      errorPath(path, endpoint.base),
      body
    )

  const openUrl = <S extends Operation.ErrorStatus>(
    endpoint: Endpoint<void, S>,
    url: URL
  ): Effect.Effect<Opened.Opened, ApifyError.ErrorFor<void, S>, Scope.Scope> => {
    const request = HttpClientRequest.setUrl(templates[endpoint.method], url)
    return openRequest(
      endpoint,
      url.origin === apiOrigin ? request : Request.withoutToken(request),
      url.pathname
    )
  }

  const execute = <A, S extends Operation.ErrorStatus>(
    endpoint: Endpoint<A, S>,
    path: string,
    body?: Body.PreparedBody
  ): Effect.Effect<A, ApifyError.ErrorFor<A, S>> => {
    type E = ApifyError.ErrorFor<A, S>
    const method = endpoint.method
    const fullPath = errorPath(path, endpoint.base)
    const refused = refusal(method, fullPath)
    if (refused !== undefined) return Effect.fail(refused as E)
    const request = Request.build(templates[method], target.urlPrefixes[endpoint.base] + path, body)
    const scrub = scrubFor(body)
    const onResponse = (response: HttpClientResponse.HttpClientResponse, attempts: number) => {
      const status = response.status
      const from: Answer.Request = { method, path: fullPath, attempts, scrub }
      if (status >= 200 && status < 300) {
        const decode = endpoint.decode
        return Effect.flatMap(
          readBody(response),
          (text): Effect.Effect<A, E> =>
            decode === undefined
              ? Effect.void as Effect.Effect<A>
              : Answer.decode(text, decode, status, maxAnswerBytes, from) as Either.Either<A, E>
        )
      }
      return failure(response, endpoint.expected, from) as Effect.Effect<never, E>
    }
    const attempt = Attempt.make(
      scrub === tokenScrub ? settings.attempt : { ...settings.attempt, scrub },
      request,
      fullPath,
      onResponse
    )
    const gone = (error: E): error is E & ApifyError.NotFound => ApifyError.isRecordNotFound(error)
    return RetryLoop.run(
      endpoint.doneIfGone
        ? (n, reached) => reached ? Effect.catchIf(attempt(n), gone, done<A>(fullPath)) : attempt(n)
        : attempt,
      settings.policy,
      maxRetryAfter,
      { operation: endpoint.operation, method, path: fullPath, idempotent: endpoint.idempotent }
    )
  }

  return {
    prepareBody: (encode, value, method, path) => Body.prepare(settings.body, encode, value, method, errorPath(path)),
    execute,
    open,
    openUrl,
    errorPath
  }
}

const engines = new WeakMap<object, Engine>()

/**
 * Ties an engine to the client service it was built with.
 *
 * @internal
 */
export const register = <S extends object>(service: S, engine: Engine): S => {
  engines.set(service, engine)
  return service
}

/**
 * The engine of a client service. A service not built by `ApifyClient.make` has none: a
 * defect, named.
 *
 * @internal
 */
export const of = (service: object): Effect.Effect<Engine> => {
  const engine = engines.get(service)
  return engine === undefined
    ? Effect.dieMessage("the ApifyClient service was not built by ApifyClient.make or ApifyClient.layer")
    : Effect.succeed(engine)
}
