/**
 * Progress on stderr, only when stderr is a terminal: a live line while a push uploads, and a
 * countdown while a request waits to be retried. Scripts (stderr not a terminal) see none of
 * it.
 *
 * @since 0.1.0
 */
import { Retry } from "@effect-apify/api"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"
import * as Stream from "effect/Stream"
import * as Format from "./Format.js"

/**
 * Whether progress is shown: stderr is a terminal that can clear a line (`TERM` is not
 * `dumb`, which takes no escape codes).
 *
 * @since 0.1.0
 */
export const enabled = (): boolean => process.stderr.isTTY === true && process.env.TERM !== "dumb"

const clearLine = "\r\u001b[2K"

// The retry countdown running, if any (one at a time).
let countdownTimer: ReturnType<typeof setInterval> | undefined

/**
 * How much of a request body has been handed to the connection: `sent` of `total` bytes,
 * since `startedAt` (a retry starts again from 0).
 *
 * @since 0.1.0
 */
export interface Upload {
  sent: number
  total: number
  startedAt: number
  /** The body's `Content-Encoding` (`gzip`), if any: `total` is then the compressed size. */
  encoding: string | undefined
}

/**
 * The upload the current progress line shows, set by `withLine`; requests sent inside it
 * through `metered` report their body's bytes here.
 *
 * @since 0.1.0
 */
export const currentUpload: FiberRef.FiberRef<Upload | undefined> = FiberRef.unsafeMake<Upload | undefined>(undefined)

// Bytes handed to the socket at a time.
const chunkBytes = 16 * 1024
const nothing = new Uint8Array(0)

// The body as a stream of 16 KiB pieces, each counted as it is handed on. Each piece travels
// with an empty one after it: @effect/platform-node waits for the socket to drain only between
// the items of a chunk, so the empty item makes it wait after every piece.
const meteredBody = (body: HttpBody.Uint8Array, upload: Upload): HttpBody.HttpBody => {
  const bytes = body.body
  const pieces = Array.from(
    { length: Math.ceil(bytes.length / chunkBytes) },
    (_, i) => Chunk.make(bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes), nothing)
  )
  const stream = Stream.suspend(() => {
    upload.sent = 0
    upload.total = bytes.length
    upload.startedAt = Date.now()
    return Stream.fromChunks(...pieces).pipe(
      Stream.mapChunksEffect((chunk) =>
        Effect.sync(() => {
          upload.sent += Chunk.reduce(chunk, 0, (n, piece) => n + piece.length)
          return chunk
        })
      )
    )
  })
  return HttpBody.stream(stream, body.contentType, bytes.length)
}

/**
 * An HTTP client whose request bodies, inside `withLine` on a terminal, are sent in chunks
 * that count as they go, so that the line shows bytes sent and rate. Elsewhere it sends as
 * `client` does.
 *
 * @since 0.1.0
 */
export const metered = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.mapRequestEffect(
    client,
    (request) =>
      Effect.map(FiberRef.get(currentUpload), (upload) =>
        upload === undefined || request.body._tag !== "Uint8Array" || request.body.body.length === 0
          ? request
          : HttpClientRequest.setBody(
            request,
            meteredBody(request.body, Object.assign(upload, { encoding: request.headers["content-encoding"] }))
          ))
  )

// `sent` of `total` and the rate, e.g. `1.2 MiB of 2.7 MiB, 640.0 KiB/s`; then, all sent,
// that the answer is awaited.
// A compressed body says so (`1.0 MiB gzip`): its total is not the size of the files the
// label names.
const uploadText = (upload: Upload): string => {
  if (upload.total === 0) return ""
  const total = `${Format.bytes(upload.total)}${upload.encoding === undefined ? "" : ` ${upload.encoding}`}`
  if (upload.sent >= upload.total) return `, ${total} sent, waiting for the answer`
  const seconds = Math.max((Date.now() - upload.startedAt) / 1000, 0.001)
  return `, ${Format.bytes(upload.sent)} of ${total}, ${Format.bytes(upload.sent / seconds)}/s`
}

// A progress line never wraps: a wrapped line would not be cleared by `clearLine`. It leaves
// 3 columns free, for the `^C` a terminal echoes when Ctrl-C stops the command.
const fit = (text: string): string => {
  const columns = process.stderr.columns
  return Format.truncate(text, typeof columns === "number" && columns > 10 ? columns - 3 : 77)
}

/**
 * Runs `effect` while a line on stderr shows `label`, the bytes of a request body sent so far
 * with their rate (requests through `metered`), and the elapsed time; the line is cleared when
 * it ends. Without a terminal it just runs `effect`.
 *
 * @since 0.1.0
 */
export const withLine = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  if (!enabled()) return effect
  const upload: Upload = { sent: 0, total: 0, startedAt: Date.now(), encoding: undefined }
  return Effect.acquireUseRelease(
    Effect.sync(() => {
      const started = Date.now()
      const frames = ["|", "/", "-", "\\"]
      let frame = 0
      const draw = () => {
        // A retry countdown has the line while it counts.
        if (countdownTimer !== undefined) return
        const seconds = ((Date.now() - started) / 1000).toFixed(1)
        process.stderr.write(
          `${clearLine}${fit(`${frames[frame++ % frames.length]} ${label}${uploadText(upload)} ${seconds} s`)}`
        )
      }
      draw()
      const timer = setInterval(draw, 100)
      timer.unref()
      return timer
    }),
    () => Effect.locally(effect, currentUpload, upload),
    (timer) =>
      Effect.sync(() => {
        clearInterval(timer)
        process.stderr.write(clearLine)
      })
  )
}

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
    process.stderr.write(
      `${clearLine}${fit(`${reason}; retrying in ${(left / 1000).toFixed(1)} s (attempt ${attempt + 1})`)}`
    )
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
