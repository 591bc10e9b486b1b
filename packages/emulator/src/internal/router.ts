/**
 * The one router behind both transports: an `HttpApp` that counts and logs every request,
 * lets the seeded faults hit it, and otherwise answers it as the contract says (`dispatch`).
 *
 * @internal
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type { RequestRecord } from "../Model.js"
import * as ApiError from "./apiError.js"
import * as Dispatch from "./dispatch.js"
import * as Faults from "./faults.js"
import type { Internals } from "./internals.js"
import * as Target from "./target.js"

/**
 * The header a response carries when the transport must drop the connection instead of
 * answering. Never reaches a client.
 *
 * @internal
 */
export const dropHeader = "x-effect-apify-emulator-drop"

/**
 * How many requests the log keeps (the most recent).
 *
 * @internal
 */
export const requestLogLimit = 10_000

const dropResponse = HttpServerResponse.empty({ status: 500, headers: { [dropHeader]: "1" } })

const serverError = (status: number, nonJsonBody: boolean) =>
  nonJsonBody ?
    HttpServerResponse.text(`<html><body><h1>${status} Server Error</h1></body></html>`, {
      status,
      contentType: "text/html"
    }) :
    Dispatch.errorResponse(ApiError.internalError(status))

const faultName: Record<Faults.Outcome["_tag"], RequestRecord["fault"]> = {
  None: null,
  RateLimited: "rate-limit-burst",
  ServerError: "server-error",
  Drop: "drop",
  CommitThenFail: "commit-then-fail"
}

const answer = (
  request: HttpServerRequest.HttpServerRequest,
  internals: Internals,
  outcome: Faults.Outcome
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  switch (outcome._tag) {
    case "RateLimited":
      return Effect.map(Ref.get(internals.rateLimit), (limit) =>
        Dispatch.errorResponse(
          ApiError.rateLimitExceeded(limit === false ? 60 : limit.perSecond, outcome.retryAfterSeconds)
        ))
    case "ServerError":
      return Effect.succeed(serverError(outcome.status, outcome.nonJsonBody))
    case "Drop":
      return Effect.succeed(dropResponse)
    case "CommitThenFail":
      return Effect.map(
        Dispatch.dispatch(request, internals),
        (response) =>
          response.status >= 300 ? response : outcome.answer === "drop" ? dropResponse : serverError(500, false)
      )
    case "None":
      return Dispatch.dispatch(request, internals)
  }
}

/** @internal */
export const make = (internals: Internals): HttpApp.Default<never, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    yield* Ref.update(internals.requests, (n) => n + 1)
    const method = request.method.toUpperCase()
    const target = Target.pathAndQuery(request.url)
    const q = target.indexOf("?")
    const path = q === -1 ? target : target.slice(0, q)
    yield* Effect.annotateCurrentSpan({ "http.request.method": method, "url.path": path })
    const decision = yield* Ref.modify(internals.faults, (s) => Faults.decide(s, { method, path }))
    if (decision.latencyMillis > 0) yield* Effect.sleep(decision.latencyMillis)
    const response = yield* answer(request, internals, decision.outcome).pipe(
      Effect.catchAllDefect(() => Effect.succeed(Dispatch.errorResponse(ApiError.internalError(500))))
    )
    const record: RequestRecord = {
      method,
      path,
      status: response.headers[dropHeader] === undefined ? response.status : "dropped",
      fault: faultName[decision.outcome._tag]
    }
    yield* Ref.update(internals.log, (log) => Chunk.takeRight(Chunk.append(log, record), requestLogLimit))
    return response
  }).pipe(Effect.withSpan("effect-apify-emulator.request"))
