/**
 * Retry-After as the client reads it: delta-seconds or one of the three HTTP-date forms, and
 * nothing else (a malformed value is absent: the normal backoff applies); a value over the
 * policy's budget ends the retries at once, also under `Retry.fromSchedule`.
 */
import { ActorVersions, type ApifyError, Retry } from "@effect-apify/api"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Schedule from "effect/Schedule"
import { cannedLayer, errorJson, owned, v } from "./utils.js"

const fc = FastCheck
const get = Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1")))

const retryAfterOf = (value: string) => {
  const canned = cannedLayer([{
    status: 429,
    body: errorJson("rate-limit-exceeded", "slow down"),
    headers: { "retry-after": value }
  }])
  return Effect.runPromise(
    Effect.flip(get).pipe(
      Effect.map((error: ApifyError.ApifyError) => error._tag === "RateLimited" ? error.retryAfterMillis : -1),
      Effect.provide(canned.layer)
    )
  )
}

describe("Retry-After parsing", () => {
  it("malformed values are absent: soon 2099, -1, 2, 3, 1e3, +5, 0x10", async () => {
    for (
      const value of ["soon 2099", "-1", "2, 3", "1e3", "+5", "0x10", "5 seconds", "tomorrow", "2099-01-01"]
    ) {
      assert.isUndefined(await retryAfterOf(value), value)
    }
  })

  it("delta-seconds and HTTP dates are read", async () => {
    assert.strictEqual(await retryAfterOf("3"), 3000)
    assert.strictEqual(await retryAfterOf(" 7 "), 7000)
    const inFuture = new Date(Date.now() + 3_600_000)
    const read = await retryAfterOf(inFuture.toUTCString())
    assert.isTrue(read !== undefined && read > 3_500_000 && read <= 3_600_000, String(read))
  })

  it("property: only digits and HTTP dates give a Retry-After (200 strings, 100 dates)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), async (value) => {
        const trimmed = value.trim()
        const read = await retryAfterOf(value)
        if (/^\d{1,15}(\.\d+)?$/.test(trimmed)) assert.strictEqual(read, Math.round(Number(trimmed) * 1000))
        else if (!/GMT$|\d{4}$/.test(trimmed)) assert.isUndefined(read, JSON.stringify(value))
      }),
      { numRuns: 200 }
    )
    await fc.assert(
      fc.asyncProperty(
        fc.date({ min: new Date(0), max: new Date(4_000_000_000_000), noInvalidDate: true }),
        async (date) => {
          const read = await retryAfterOf(date.toUTCString())
          assert.isDefined(read)
        }
      ),
      { numRuns: 100 }
    )
  }, 30_000)

  it.effect("under fromSchedule, a huge Retry-After ends the retries at once instead of sleeping", () =>
    Effect.gen(function*() {
      const canned = cannedLayer(
        [{ status: 429, body: errorJson("rate-limit-exceeded", "x"), headers: { "retry-after": "999999999" } }],
        { retry: Retry.fromSchedule(Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(3)))) }
      )
      const error = yield* Effect.flip(get).pipe(Effect.provide(canned.layer))
      assert.strictEqual(error._tag, "RateLimited")
      assert.strictEqual(canned.requests.length, 1)
    }))

  it.effect("under fromSchedule, a Retry-After within maxRetryAfter is still waited for", () =>
    Effect.gen(function*() {
      const canned = cannedLayer(
        [{ status: 429, body: errorJson("rate-limit-exceeded", "x"), headers: { "retry-after": "0" } }, {
          status: 500,
          body: ""
        }],
        { retry: Retry.fromSchedule(Schedule.recurs(1), { maxRetryAfter: "10 seconds" }) }
      )
      yield* Effect.flip(get).pipe(Effect.provide(canned.layer))
      assert.strictEqual(canned.requests.length, 2)
    }))
})
