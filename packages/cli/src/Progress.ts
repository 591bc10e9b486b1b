/**
 * Progress on stderr, only when stderr is a terminal: a live line while a push uploads, and a
 * countdown while a request waits to be retried. Scripts (stderr not a terminal) see none of
 * it.
 *
 * @since 0.1.0
 */
import { Retry } from "@effect-apify/api"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"

/**
 * Whether progress is shown: stderr is a terminal.
 *
 * @since 0.1.0
 */
export const enabled = (): boolean => process.stderr.isTTY === true

const clearLine = "\r\u001b[2K"

/**
 * Runs `effect` while a line on stderr shows `label` and the elapsed time; the line is
 * cleared when it ends. Without a terminal it just runs `effect`.
 *
 * @since 0.1.0
 */
export const withLine = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  if (!enabled()) return effect
  return Effect.acquireUseRelease(
    Effect.sync(() => {
      const started = Date.now()
      const frames = ["|", "/", "-", "\\"]
      let frame = 0
      const draw = () => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1)
        process.stderr.write(`${clearLine}${frames[frame++ % frames.length]} ${label} ${seconds} s`)
      }
      draw()
      const timer = setInterval(draw, 100)
      timer.unref()
      return timer
    }),
    () => effect,
    (timer) =>
      Effect.sync(() => {
        clearInterval(timer)
        process.stderr.write(clearLine)
      })
  )
}

let countdownTimer: ReturnType<typeof setInterval> | undefined

/**
 * Stops a running retry countdown and clears its line.
 *
 * @since 0.1.0
 */
export const stopCountdown: Effect.Effect<void> = Effect.sync(() => {
  if (countdownTimer === undefined) return
  clearInterval(countdownTimer)
  countdownTimer = undefined
  process.stderr.write(clearLine)
})

const countdown = (delayMillis: number, reason: string, attempt: number): void => {
  if (countdownTimer !== undefined) clearInterval(countdownTimer)
  const until = Date.now() + delayMillis
  const draw = () => {
    const left = Math.max(0, until - Date.now())
    process.stderr.write(`${clearLine}${reason}; retrying in ${(left / 1000).toFixed(1)} s (attempt ${attempt + 1})`)
    if (left <= 0 && countdownTimer !== undefined) {
      clearInterval(countdownTimer)
      countdownTimer = undefined
      process.stderr.write(clearLine)
    }
  }
  countdownTimer = setInterval(draw, 100)
  countdownTimer.unref()
  draw()
}

const reasonOf = (error: Retry.RetryEvent["error"]): string =>
  error._tag === "RateLimited"
    ? "rate limited"
    : error._tag === "TransportError"
    ? "no answer"
    : `server error ${error.status}`

/**
 * The client's retry hook: a countdown on a terminal until the next attempt.
 *
 * @since 0.1.0
 */
export const onRetry = (event: Retry.RetryEvent): Effect.Effect<void> =>
  Effect.sync(() => {
    if (enabled()) countdown(event.delayMillis, reasonOf(event.error), event.attempt)
  })

/**
 * A logger that drops every log line, so that stdout and stderr carry only what the command
 * prints.
 *
 * @since 0.1.0
 */
export const logger: Logger.Logger<unknown, void> = Logger.make(() => undefined)

/**
 * Runs `effect` with the client's retries shown as a countdown (`onRetry`) and `logger` as the
 * only logger.
 *
 * @since 0.1.0
 */
export const withRetryCountdown = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  effect.pipe(
    Retry.onRetry(onRetry),
    Effect.locally(FiberRef.currentLoggers, HashSet.make(logger)),
    Effect.ensuring(stopCountdown)
  )
