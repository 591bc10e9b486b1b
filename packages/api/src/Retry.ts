/**
 * When the client sends a request again: a `Schedule` in its own layer, so an app can tune it,
 * replace it with its own, or turn it off in tests.
 *
 * Only errors that may go away are retried: 429, 5xx, transport failures and timeouts
 * (`ApifyError.Retryable`). The default waits exponentially from 500 ms, doubling each time,
 * with random jitter (each wait between `d` and `2d`), at most 20 s per wait, at most 6
 * retries and at most 60 s of waiting in all. When the API sends `Retry-After` (seconds or an
 * HTTP date), that wait is used instead; if it would run past the total budget, the client
 * gives up at once rather than sleep in vain. Each retry is logged at debug level with the
 * attempt number and the delay, and reported as a `RetryEvent` to the `OnRetry` hook (e.g. to
 * show a countdown).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleInterval from "effect/ScheduleInterval"
import type * as ApifyError from "./ApifyError.js"
import * as RetryOptions from "./internal/options.js"

/**
 * A retry policy: the schedule that decides whether and when to send again, fed with each
 * retryable error.
 *
 * @since 0.1.0
 */
export interface Policy {
  readonly schedule: Schedule.Schedule<unknown, ApifyError.Retryable>
  /**
   * When true, a `Retry-After` sent by the API is a lower bound on the wait, whatever the
   * schedule says.
   */
  readonly honorRetryAfter: boolean
  /**
   * The longest `Retry-After` waited for (default 60 s, the default total budget): a longer
   * one ends the retries at once, with the error (which carries `retryAfterMillis`).
   */
  readonly maxRetryAfter?: Duration.Duration | undefined
  /**
   * What is wrong with the options the policy was built from (a number that is `NaN`,
   * negative, infinite or out of range): every request then fails unsent with
   * `InvalidRequest` naming the option.
   */
  readonly problem?: string | undefined
}

/**
 * Settings of the default exponential policy.
 *
 * @since 0.1.0
 */
export interface Options {
  /** The most retries after the first attempt. Default 6; a whole number from 0 to 1,000. */
  readonly maxRetries?: number | undefined
  /** The first wait before jitter. Default 500 ms. */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** The longest single wait, jitter included. Default 20 s. */
  readonly maxDelay?: Duration.DurationInput | undefined
  /** The most time spent waiting in all, from the first failure. Default 60 s. */
  readonly maxElapsed?: Duration.DurationInput | undefined
}

/**
 * The default settings.
 *
 * @since 0.1.0
 */
export const defaults = {
  maxRetries: 6,
  baseDelay: Duration.millis(500),
  maxDelay: Duration.seconds(20),
  maxElapsed: Duration.seconds(60)
} as const

/**
 * The most retries `Options.maxRetries` may ask for.
 *
 * @since 0.1.0
 */
export const maxMaxRetries = 1000

const maxMillis = RetryOptions.maxTimerMillis

// What is wrong with the numbers of `options`, if anything (see `Policy.problem`).
const optionsProblem = (options: Options): string | undefined =>
  RetryOptions.integerProblem("maxRetries", options.maxRetries ?? defaults.maxRetries, 0, maxMaxRetries) ??
    RetryOptions.duration("baseDelay", options.baseDelay ?? defaults.baseDelay, 0, maxMillis).problem ??
    RetryOptions.duration("maxDelay", options.maxDelay ?? defaults.maxDelay, 0, maxMillis).problem ??
    RetryOptions.duration("maxElapsed", options.maxElapsed ?? defaults.maxElapsed, 0, maxMillis).problem

interface State {
  readonly retries: number
  readonly start: number
}

/**
 * The default schedule: exponential from `baseDelay` with jitter in `[d, 2d)`, capped per wait,
 * in count and in total time; `Retry-After` used when present. Its output is the number of
 * retries so far.
 *
 * @since 0.1.0
 */
export const exponential = (options: Options = {}): Schedule.Schedule<number, ApifyError.Retryable> => {
  const maxRetries = options.maxRetries ?? defaults.maxRetries
  const base = Duration.toMillis(options.baseDelay ?? defaults.baseDelay)
  const maxDelay = Duration.toMillis(options.maxDelay ?? defaults.maxDelay)
  const maxElapsed = Duration.toMillis(options.maxElapsed ?? defaults.maxElapsed)
  return Schedule.makeWithState<State, ApifyError.Retryable, number>(
    { retries: 0, start: -1 },
    (now, error, state) => {
      const start = state.start < 0 ? now : state.start
      if (state.retries >= maxRetries) {
        return Effect.succeed([state, state.retries, ScheduleDecision.done] as const)
      }
      const retryAfter = "retryAfterMillis" in error ? error.retryAfterMillis : undefined
      const delay = retryAfter !== undefined
        ? Effect.succeed(retryAfter)
        : Effect.map(Random.next, (r) => {
          const d = Math.min(base * 2 ** state.retries, maxDelay)
          return Math.min(Math.floor(d + r * d), maxDelay)
        })
      return Effect.map(delay, (delay) => {
        if (now + delay - start > maxElapsed) return [state, state.retries, ScheduleDecision.done] as const
        const next = { retries: state.retries + 1, start }
        return [next, next.retries, ScheduleDecision.continueWith(ScheduleInterval.after(now + delay))] as const
      })
    }
  )
}

/**
 * The retry policy service. It has a default (the exponential policy with `defaults`), so
 * providing it is optional.
 *
 * @since 0.1.0
 */
export class Retry extends Context.Reference<Retry>()("@effect-apify/api/Retry", {
  defaultValue: (): Policy => ({ schedule: exponential(), honorRetryAfter: true })
}) {}

/**
 * The default policy with other settings.
 *
 * @example
 * ```ts
 * import { ApifyClient, Retry } from "@effect-apify/api"
 * import * as Layer from "effect/Layer"
 *
 * const patient = ApifyClient.layer().pipe(Layer.provide(Retry.layer({ maxRetries: 10, maxElapsed: "5 minutes" })))
 * ```
 *
 * @since 0.1.0
 */
export const layer = (options: Options = {}): Layer.Layer<Retry> => {
  const maxElapsed = RetryOptions.duration("maxElapsed", options.maxElapsed ?? defaults.maxElapsed, 0, maxMillis)
  return Layer.succeed(Retry, {
    schedule: exponential(options),
    honorRetryAfter: true,
    maxRetryAfter: maxElapsed.duration,
    problem: optionsProblem(options)
  })
}

/**
 * The default policy, as a layer.
 *
 * @since 0.1.0
 */
export const layerDefault: Layer.Layer<Retry> = layer()

/**
 * Never retry: every error is returned after the first attempt. Handy in tests.
 *
 * @since 0.1.0
 */
export const none: Layer.Layer<Retry> = Layer.succeed(Retry, { schedule: Schedule.stop, honorRetryAfter: false })

/**
 * Your own schedule. It is fed each retryable error; `Retry-After` is still honoured as a
 * minimum wait unless `honorRetryAfter` is false, and one over `maxRetryAfter` (default 60 s)
 * ends the retries at once.
 *
 * @example
 * ```ts
 * import { ApifyClient, Retry } from "@effect-apify/api"
 * import * as Layer from "effect/Layer"
 * import * as Schedule from "effect/Schedule"
 *
 * const fixed = Retry.fromSchedule(Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(3))))
 * const client = ApifyClient.layer().pipe(Layer.provide(fixed))
 * ```
 *
 * @since 0.1.0
 */
export const fromSchedule = <Out>(
  schedule: Schedule.Schedule<Out, ApifyError.Retryable>,
  options: {
    readonly honorRetryAfter?: boolean
    /** The longest `Retry-After` waited for; default 60 s. A longer one ends the retries. */
    readonly maxRetryAfter?: Duration.DurationInput
  } = {}
): Layer.Layer<Retry> => {
  const maxRetryAfter = RetryOptions.duration(
    "maxRetryAfter",
    options.maxRetryAfter ?? defaults.maxElapsed,
    0,
    maxMillis
  )
  return Layer.succeed(Retry, {
    schedule,
    honorRetryAfter: options.honorRetryAfter ?? true,
    maxRetryAfter: maxRetryAfter.duration,
    problem: maxRetryAfter.problem
  })
}

/**
 * A request is about to be sent again: which operation, which attempt failed with which error,
 * and how long the client waits before the next one.
 *
 * @since 0.1.0
 */
export interface RetryEvent {
  /** The operation, e.g. `ActorVersions.get`. */
  readonly operation: string
  readonly method: string
  /** The request path, as errors show it (it never holds the token). */
  readonly path: string
  /** The attempt that failed (1 for the first). */
  readonly attempt: number
  /** The wait before the next attempt, in milliseconds. */
  readonly delayMillis: number
  /** Why: a 429, a 5xx, a transport failure or a timeout. */
  readonly error: ApifyError.Retryable
}

/**
 * The hook the client calls before each retry's wait. By default it does nothing; provide one
 * with `onRetry`.
 *
 * @since 0.1.0
 */
export class OnRetry extends Context.Reference<OnRetry>()("@effect-apify/api/Retry/OnRetry", {
  defaultValue: (): (event: RetryEvent) => Effect.Effect<void> => () => Effect.void
}) {}

/**
 * Runs `self` with `hook` called before each retry's wait, for every request made inside it.
 *
 * @example
 * ```ts
 * import { ActorVersions, Retry } from "@effect-apify/api"
 * import { ActorId } from "@effect-apify/domain"
 * import * as Console from "effect/Console"
 * import * as Effect from "effect/Effect"
 *
 * const listed = Effect.flatMap(ActorVersions.ActorVersions, (versions) => versions.list(ActorId.make("me~my-actor"))).pipe(
 *   Retry.onRetry((event) =>
 *     Console.error(`${event.operation}: ${event.error._tag}, attempt ${event.attempt + 1} in ${event.delayMillis} ms`)
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 */
export const onRetry =
  (hook: (event: RetryEvent) => Effect.Effect<void>) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => Effect.provideService(self, OnRetry, hook)
