// The request pipeline's internal modules, each alone: body, answer, attempt, retryLoop.
import { ApifyError, Retry } from "@effect-apify/api"
import { Limits, VersionRequest } from "@effect-apify/domain"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Answer from "../../src/internal/answer.js"
import * as Attempt from "../../src/internal/attempt.js"
import * as Body from "../../src/internal/body.js"
import * as RetryLoop from "../../src/internal/retryLoop.js"

const scrub = (text: string) => text.split("SECRET").join("<redacted>")
const encode = Schema.encodeEither(VersionRequest.UpdateVersion, { errors: "all" })
const settings: Body.Settings = { compression: { threshold: 1024, encoding: "gzip", level: 4 }, secrets: ["SECRET"] }

describe("body", () => {
  it.effect("refuses a body that breaks the rules, naming the field; sends a small one as it is", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.flip(
        Body.prepare(settings, encode, { buildTag: 5 } as never, "PUT", "/v2/acts/a/versions/0.1")
      )
      assert.strictEqual(bad._tag, "InvalidRequest")
      assert.include(bad.message, "buildTag")
      const small = yield* Body.prepare(settings, encode, { buildTag: "latest" }, "PUT", "/p")
      assert.isUndefined(small.encoding)
      assert.deepStrictEqual(small.json, { buildTag: "latest" })
    }))

  it.effect("compresses a large body; refuses one over the API's limit unsent, with both sizes", () =>
    Effect.gen(function*() {
      const large = yield* Body.prepare(settings, encode, { buildTag: "x".repeat(4096) }, "PUT", "/p")
      assert.strictEqual(large.encoding, "gzip")
      const huge = yield* Effect.flip(
        Body.prepare(settings, encode, { buildTag: "x".repeat(Limits.maxRequestBodyBytes) }, "PUT", "/p")
      )
      assert.strictEqual(huge._tag, "PayloadTooLarge")
      if (huge._tag === "PayloadTooLarge") {
        assert.strictEqual(huge.attempts, 0)
        assert.strictEqual(huge.limitBytes, Limits.maxRequestBodyBytes)
      }
    }))
})

const from: Answer.Request = { method: "GET", path: "/v2/acts/a", attempts: 1, scrub }
const decodeData = Schema.decodeUnknownEither(Schema.Struct({ data: Schema.String }))

describe("answer", () => {
  it("decodes a success body, or says why not (over the limit, not JSON, too deep, wrong shape)", () => {
    assert.deepStrictEqual(Answer.decode("{\"data\":\"x\"}", decodeData, 200, 10, from), Either.right({ data: "x" }))
    const detail = (text: string | undefined) => {
      const result = Answer.decode(text, decodeData, 200, 10, from)
      return Either.isLeft(result) ? result.left.detail : "decoded"
    }
    assert.include(detail(undefined), "over the client's limit of 10 bytes")
    assert.include(detail("<html>"), "not JSON")
    assert.include(detail("[".repeat(600) + "]".repeat(600)), "deeper than 512")
    assert.notInclude(detail("{\"data\":\"x\",\"SECRET\":1, \"data2\": 1}"), "SECRET")
    assert.include(detail("{\"data\":5}"), "data")
  })

  it("gives a declared status its class, an undeclared one ServerError unexpected-status", () => {
    const body = JSON.stringify({ error: { type: "record-not-found", message: "no SECRET here" } })
    const found = Answer.httpError(404, [403, 404], body, undefined, from)
    assert.strictEqual(found._tag, "NotFound")
    assert.strictEqual(found.apifyMessage, "no <redacted> here")
    const unexpected = Answer.httpError(404, [403], "", undefined, from)
    assert.strictEqual(unexpected._tag, "ServerError")
    assert.strictEqual(unexpected.type, "unexpected-status")
    assert.strictEqual(Answer.httpError(401, [], "", undefined, from)._tag, "Unauthorized")
    const limited = Answer.httpError(429, [], "", 2000, from)
    assert.isTrue(limited._tag === "RateLimited" && limited.retryAfterMillis === 2000)
    assert.strictEqual(Answer.httpError(502, [], "<html>", undefined, from).type, "server-error")
    assert.strictEqual(Answer.httpError(500, [], "x".repeat(500), undefined, from).apifyMessage.length, 203)
  })
})

// Answers only by failing when the request is aborted, as the real transports do.
const never = HttpClient.make((request, _url, signal) =>
  Effect.async<never, HttpClientError.RequestError>((resume) => {
    signal.addEventListener("abort", () =>
      resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: signal.reason }))))
  })
)

describe("attempt", () => {
  it.live("an attempt with no complete answer within the timeout is a TransportError Timeout", () =>
    Effect.gen(function*() {
      const attempt = Attempt.make(
        Attempt.settings(never, Duration.millis(30), scrub, false),
        HttpClientRequest.get("http://h.test/v2/acts"),
        "/v2/acts",
        () => Effect.succeed("answered")
      )
      const error = yield* Effect.flip(attempt(3))
      assert.isTrue(error._tag === "TransportError" && error.reason === "Timeout" && error.attempts === 3)
    }))

  it.effect("a transport failure is a TransportError with the cause, scrubbed", () =>
    Effect.gen(function*() {
      const failing = HttpClient.make((request) =>
        Effect.fail(
          new HttpClientError.RequestError({ request, reason: "Transport", cause: new Error("reset by SECRET") })
        )
      )
      const attempt = Attempt.make(
        Attempt.settings(failing, Duration.seconds(5), scrub, false),
        HttpClientRequest.get("http://h.test/v2/acts"),
        "/v2/acts",
        () => Effect.succeed("answered")
      )
      const error = yield* Effect.flip(attempt(1))
      assert.isTrue(error._tag === "TransportError" && error.reason === "Transport")
      assert.strictEqual(error._tag === "TransportError" ? error.detail : "", "reset by <redacted>")
    }))
})

const serverError = (attempts: number) =>
  new ApifyError.ServerError({ status: 503, type: "x", apifyMessage: "", method: "GET", path: "/p", attempts })

describe("retryLoop", () => {
  it.live("retries a retryable error while the policy goes on, and reports each retry", () =>
    Effect.gen(function*() {
      const events: Array<Retry.RetryEvent> = []
      const policy: Retry.Policy = { schedule: Schedule.recurs(5), honorRetryAfter: true }
      const result = yield* RetryLoop.run(
        (n) => n < 3 ? Effect.fail(serverError(n)) : Effect.succeed(`attempt ${n}`),
        policy,
        60_000,
        { operation: "ActorVersions.get", method: "GET", path: "/p", idempotent: true }
      ).pipe(Retry.onRetry((event) => Effect.sync(() => void events.push(event))))
      assert.strictEqual(result, "attempt 3")
      assert.deepStrictEqual(events.map((e) => [e.operation, e.attempt, e.error._tag]), [
        ["ActorVersions.get", 1, "ServerError"],
        ["ActorVersions.get", 2, "ServerError"]
      ])
    }))

  it.live("does not retry what cannot succeed again, nor wait a Retry-After over the budget", () =>
    Effect.gen(function*() {
      const policy: Retry.Policy = { schedule: Schedule.recurs(5), honorRetryAfter: true }
      const info = { operation: "o", method: "GET", path: "/p", idempotent: true }
      let calls = 0
      const notFound = new ApifyError.NotFound({
        status: 404,
        type: "x",
        apifyMessage: "",
        method: "GET",
        path: "/p",
        attempts: 1
      })
      yield* Effect.flip(
        RetryLoop.run(
          () => Effect.sync(() => calls++).pipe(Effect.zipRight(Effect.fail(notFound))),
          policy,
          60_000,
          info
        )
      )
      assert.strictEqual(calls, 1)
      const limited = new ApifyError.RateLimited({
        status: 429,
        type: "x",
        apifyMessage: "",
        method: "GET",
        path: "/p",
        attempts: 1,
        retryAfterMillis: 120_000
      })
      const started = Date.now()
      const error = yield* Effect.flip(RetryLoop.run(() => Effect.fail(limited), policy, 60_000, info))
      assert.strictEqual(error._tag, "RateLimited")
      assert.isBelow(Date.now() - started, 1000)
    }))

  it.live("a request that is not idempotent is sent again only when it never reached the API", () =>
    Effect.gen(function*() {
      const policy: Retry.Policy = { schedule: Schedule.recurs(2), honorRetryAfter: true }
      const info = { operation: "ActorBuilds.build", method: "POST", path: "/p", idempotent: false }
      const transport = (unsent: boolean) =>
        new ApifyError.TransportError({
          reason: "Transport",
          detail: unsent ? "connect ECONNREFUSED" : "socket hang up",
          method: "POST",
          path: "/p",
          attempts: 1,
          ...(unsent ? { unsent } : {})
        })
      const limited = new ApifyError.RateLimited({
        status: 429,
        type: "rate-limit-exceeded",
        apifyMessage: "",
        method: "POST",
        path: "/p",
        attempts: 1,
        retryAfterMillis: 1
      })
      const callsWith = (error: ApifyError.Retryable) =>
        Effect.suspend(() => {
          let calls = 0
          return RetryLoop.run(
            () => Effect.suspend(() => Effect.fail(error).pipe(Effect.ensuring(Effect.sync(() => calls++)))),
            policy,
            60_000,
            info
          )
            .pipe(Effect.either, Effect.map(() => calls))
        })
      assert.strictEqual(yield* callsWith(serverError(1)), 1)
      assert.strictEqual(yield* callsWith(transport(false)), 1)
      assert.strictEqual(yield* callsWith(transport(true)), 3)
      assert.strictEqual(yield* callsWith(limited), 3)
    }))
})
