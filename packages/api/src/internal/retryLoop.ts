/**
 * The retry loop: runs attempt 1, 2, ... while the error is retryable and the policy's
 * schedule goes on, waiting what the schedule says (or a longer `Retry-After`, unless it is
 * over the policy's budget). Before each wait it logs the retry at debug level and reports a
 * `RetryEvent` to the `OnRetry` hook.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleIntervals from "effect/ScheduleIntervals"
import * as ApifyError from "../ApifyError.js"
import * as Retry from "../Retry.js"

/**
 * What the loop reports about the request.
 *
 * @internal
 */
export interface Info {
  readonly operation: string
  readonly method: string
  readonly path: string
  /** When false, only a failure that shows the request never reached the API is retried. */
  readonly idempotent: boolean
}

/**
 * Whether a failed request is known not to have reached the API or to have been turned away
 * before it did anything: a 429, or a connection that was never made.
 *
 * @internal
 */
export const turnedAway = (error: ApifyError.Retryable): boolean =>
  error._tag === "RateLimited" || (error._tag === "TransportError" && error.unsent === true)

/**
 * The longest `Retry-After` a policy waits for, in milliseconds.
 *
 * @internal
 */
export const maxRetryAfterMillis = (policy: Retry.Policy): number =>
  Duration.toMillis(policy.maxRetryAfter ?? Retry.defaults.maxElapsed)

const retried = (info: Info, n: number, delay: number, error: ApifyError.Retryable) =>
  Effect.logDebug("Apify API request failed, retrying").pipe(
    Effect.annotateLogs({
      attempt: n,
      nextAttempt: n + 1,
      delayMillis: delay,
      error: error._tag,
      status: "status" in error ? error.status : undefined,
      method: info.method,
      path: info.path
    }),
    Effect.zipRight(
      Effect.flatMap(Retry.OnRetry, (hook) =>
        hook({
          operation: info.operation,
          method: info.method,
          path: info.path,
          attempt: n,
          delayMillis: delay,
          error
        }))
    )
  )

/**
 * Runs `attempt` under `policy`. The operation's span starts with `apify.attempts` = 1; each
 * retry raises it. Attempt `n` is told whether an earlier one may have reached the API (it
 * failed in a way `turnedAway` does not recognise), so its request may already have been done.
 *
 * @internal
 */
export const run = <A, E>(
  attempt: (n: number, reached: boolean) => Effect.Effect<A, E>,
  policy: Retry.Policy,
  maxRetryAfter: number,
  info: Info
): Effect.Effect<A, E> =>
  Effect.suspend(() => {
    let attempts = 0
    let reached = false
    let state: unknown = policy.schedule.initial
    const loop = (): Effect.Effect<A, E> => {
      attempts++
      const n = attempts
      return Effect.catchIf(
        n === 1
          ? attempt(n, false)
          : Effect.zipRight(Effect.annotateCurrentSpan("apify.attempts", n), attempt(n, reached)),
        (error): error is E & ApifyError.Retryable =>
          ApifyError.isRetryable(error) && (info.idempotent || turnedAway(error)),
        (error) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.flatMap(policy.schedule.step(now, error, state), ([next, _, decision]) => {
              if (ScheduleDecision.isDone(decision)) {
                return Effect.fail(error)
              }
              state = next
              reached ||= !turnedAway(error)
              let delay = Math.max(0, ScheduleIntervals.start(decision.intervals) - now)
              const retryAfter = "retryAfterMillis" in error ? error.retryAfterMillis : undefined
              if (policy.honorRetryAfter && retryAfter !== undefined && retryAfter > delay) {
                // a Retry-After over the policy's budget is not waited for: the error is final
                if (retryAfter > maxRetryAfter) {
                  return Effect.fail(error)
                }
                delay = retryAfter
              }
              return retried(info, n, delay, error).pipe(
                Effect.zipRight(Effect.sleep(delay)),
                Effect.zipRight(Effect.suspend(loop))
              )
            }))
      )
    }
    // V8 formats an error's stack lazily and, until then, keeps its frames' functions (and
    // what they capture: the response and its body, of any size) alive: format it now, so a
    // kept error holds only its own fields.
    return Effect.tapError(loop(), (error) =>
      Effect.sync(() =>
        error instanceof Error ? error.stack : undefined
      ))
  })
