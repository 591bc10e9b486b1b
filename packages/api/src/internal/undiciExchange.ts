/**
 * One request over an undici `Dispatcher`, as the dispatcher's handler (the controller
 * interface of undici 7 and 8): no promise, no Node `Readable` and no abort listener of
 * undici's per request. The answer's body is kept as the chunks arrive, up to a high-water
 * mark past which the socket is paused until the body is read, and is handed over whole
 * (`collect`) or chunk by chunk (`pull`).
 *
 * The request is aborted (its socket destroyed, so nothing stays half read on a kept-alive
 * connection) by `abort`: on interruption, when the request's `AbortSignal` fires (the scope
 * of `HttpClient.withScope`, or the platform's own controller), past a read limit, or when a
 * body stream ends early.
 *
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { IncomingHttpHeaders } from "node:http"
import type { Dispatcher } from "undici"

/** Bytes kept unread before the socket is paused. */
const highWaterMark = 64 * 1024

type Phase = "head" | "body" | "ended" | "failed"

/**
 * A body read whole: its chunks and size, or that it went past the limit (its size then).
 *
 * @internal
 */
export interface Collected {
  readonly parts: ReadonlyArray<Uint8Array>
  readonly size: number
  readonly over: boolean
}

/**
 * What the exchange makes of the answer's head, with the exchange that holds its body.
 *
 * @internal
 */
export type ToResponse = (
  exchange: Exchange,
  status: number,
  headers: IncomingHttpHeaders
) => HttpClientResponse.HttpClientResponse

const abortedError = () => new DOMException("The request was aborted", "AbortError")

/**
 * One request and its answer.
 *
 * @internal
 */
export class Exchange implements Dispatcher.DispatchHandler {
  private phase: Phase = "head"
  private failure: unknown = undefined
  private onHead:
    | ((effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>) => void)
    | undefined
  private controller: Dispatcher.DispatchController | undefined = undefined
  private abortReason: Error | undefined = undefined
  /** Read whole: every chunk is kept, the socket never paused. */
  private draining = false
  private streamed = false
  private parts: Array<Uint8Array> = []
  private buffered = 0
  /** Readers waiting for the body to move on. */
  private waiters: Array<() => void> | undefined = undefined
  private requestBody: AsyncIterator<unknown> | undefined = undefined
  private response: HttpClientResponse.HttpClientResponse | undefined = undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly signal: AbortSignal,
    private readonly toResponse: ToResponse,
    onHead: (effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>) => void
  ) {
    this.onHead = onHead
    // the exchange itself listens (`handleEvent`): no closure per request
    signal.addEventListener("abort", this)
  }

  /** The request's `AbortSignal` fired. */
  handleEvent(): void {
    this.abort(this.signal.reason instanceof Error ? this.signal.reason : undefined)
  }

  /** Aborts the request unless its answer is complete or it failed already. */
  abort(reason?: Error): void {
    if (this.phase === "ended" || this.phase === "failed") return
    const error = reason ?? abortedError()
    if (this.controller !== undefined) this.controller.abort(error)
    else this.abortReason ??= error
  }

  /** An async iterable request body, closed when the request ends early. */
  track<A>(body: AsyncIterable<A>): AsyncIterable<A> {
    return {
      [Symbol.asyncIterator]: () => {
        const iterator = body[Symbol.asyncIterator]()
        this.requestBody = iterator
        return iterator
      }
    }
  }

  private settle(phase: "ended" | "failed", failure?: unknown): void {
    this.phase = phase
    this.failure = failure
    this.signal.removeEventListener("abort", this)
    if (phase === "failed" && this.requestBody !== undefined) {
      const body = this.requestBody
      this.requestBody = undefined
      body.return?.().catch(() => {})
    }
    this.notify()
  }

  private notify(): void {
    const waiters = this.waiters
    if (waiters !== undefined) {
      this.waiters = undefined
      for (const wake of waiters) wake()
    }
  }

  private wait(wake: () => void): void {
    ;(this.waiters ??= []).push(wake)
  }

  private unwait(wake: () => void): void {
    if (this.waiters !== undefined) this.waiters = this.waiters.filter((w) => w !== wake)
  }

  private resume(): void {
    if (this.controller?.paused === true) this.controller.resume()
  }

  // --- the dispatcher's handler ---

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.abortReason !== undefined) controller.abort(this.abortReason)
    else this.controller = controller
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx: informational, the answer follows
    if (statusCode < 200) return
    this.phase = "body"
    this.controller = controller
    const response = this.toResponse(this, statusCode, headers)
    this.response = response
    const onHead = this.onHead
    this.onHead = undefined
    onHead?.(Effect.succeed(response))
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.parts.push(chunk)
    this.buffered += chunk.length
    this.notify()
    if (!this.draining && this.buffered > highWaterMark) controller.pause()
  }

  onResponseEnd(): void {
    this.settle("ended")
  }

  onResponseError(_controller: unknown, error: Error): void {
    const onHead = this.onHead
    this.onHead = undefined
    this.settle("failed", error)
    onHead?.(
      Effect.fail(new HttpClientError.RequestError({ request: this.request, reason: "Transport", cause: error }))
    )
  }

  // --- the answer's body ---

  private responseError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({
      request: this.request,
      response: this.response!,
      reason: "Decode",
      cause
    })
  }

  /**
   * The whole body, or that it went past `max` bytes: the request is then aborted and what
   * was read dropped.
   */
  collect(max: number): Effect.Effect<Collected, HttpClientError.ResponseError> {
    return Effect.suspend(() => {
      if (this.streamed) return Effect.fail(this.responseError(new Error("the body was already read as a stream")))
      this.draining = true
      this.resume()
      return this.collected(max) ?? Effect.async<Collected, HttpClientError.ResponseError>((resume) => {
        const check = () => {
          const done = this.collected(max)
          if (done === undefined) this.wait(check)
          else resume(done)
        }
        this.wait(check)
        return Effect.sync(() => {
          this.unwait(check)
          this.abort()
        })
      })
    })
  }

  private collected(max: number): Effect.Effect<Collected, HttpClientError.ResponseError> | undefined {
    if (this.buffered > max) {
      const size = this.buffered
      this.parts = []
      this.abort()
      return Effect.succeed({ parts: [], size, over: true })
    }
    if (this.phase === "ended") return Effect.succeed({ parts: this.parts, size: this.buffered, over: false })
    if (this.phase === "failed") return Effect.fail(this.responseError(this.failure))
    return undefined
  }

  /** The next chunks of the body; `None` at its end. */
  pull(): Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>> {
    return Effect.suspend(() => {
      this.streamed = true
      if (this.parts.length > 0) {
        const parts = this.parts
        this.parts = []
        this.buffered = 0
        this.resume()
        return Effect.succeed(Chunk.unsafeFromArray(parts))
      }
      if (this.phase === "ended") return Effect.fail(Option.none())
      if (this.phase === "failed") return Effect.fail(Option.some(this.responseError(this.failure)))
      this.resume()
      return Effect.async<void>((resume) => {
        const wake = () => resume(Effect.void)
        this.wait(wake)
        return Effect.sync(() => this.unwait(wake))
      }).pipe(Effect.zipRight(this.pull()))
    })
  }
}
