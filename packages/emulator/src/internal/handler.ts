/**
 * What a handler of an operation is: its input (decoded body or uploaded bytes, path
 * parameters, query, state) and its answer (the operation's `data` in its JSON form, nothing
 * for 204, or a response of its own for a text or bytes answer). A leaf, so the handler tables
 * can import it without a cycle.
 *
 * @internal
 */
import type { Contract } from "@effect-apify/domain"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type { User } from "../Model.js"
import type * as ApiError from "./apiError.js"
import type { Internals } from "./internals.js"
import type * as State from "./state.js"

/** @internal */
export type Operations = typeof Contract.operations

/**
 * An operation's name in `Contract` (`getVersion`, `updateVersionPost`, ...).
 *
 * @internal
 */
export type Name = keyof Operations

/**
 * The decoded request body of an operation (`undefined` when it takes none).
 *
 * @internal
 */
export type BodyOf<O> = O extends { readonly request: infer R } ?
  R extends Schema.Schema.AnyNoContext ? Schema.Schema.Type<R> : undefined
  : never

/**
 * What a handler answers: the operation's `data` as sent (the fields its schema declares, and
 * any the API adds), with the path below the prefix a `Location` points at; nothing for 204.
 *
 * @internal
 */
export type AnswerOf<O> = O extends { readonly answer: infer A } ? A extends Schema.Schema.AnyNoContext ? {
      readonly data: Schema.Schema.Encoded<A> & { readonly [field: string]: unknown }
      readonly location?: string
      /** A `Location` below `/v2`, whatever the request's prefix. */
      readonly apiLocation?: string
      /** The status, when it is not the operation's success status (200 for a store that existed). */
      readonly status?: number
    }
  : void | Raw
  : never

/**
 * An answer a handler makes itself: a text or bytes answer (a log, a record's value).
 *
 * @internal
 */
export interface Raw {
  readonly raw: HttpServerResponse.HttpServerResponse
}

/**
 * A body sent as it is (a record's value): its bytes, decompressed, and its content type.
 *
 * @internal
 */
export interface Upload {
  readonly bytes: Uint8Array
  readonly contentType: string
}

/**
 * The path parameters of an operation, each present.
 *
 * @internal
 */
export type ParametersOf<O> = O extends { readonly parameters: ReadonlyArray<infer P extends string> } ?
  { readonly [K in P]: string }
  : never

/** @internal */
export interface Input<O> {
  readonly user: User
  /** The state when the request passed its checks (reads answer from it). */
  readonly current: State.State
  readonly parameters: ParametersOf<O>
  readonly body: BodyOf<O>
  /** The bytes of an operation whose `requestFormat` is `bytes`. */
  readonly upload: Upload | undefined
  readonly query: URLSearchParams
  /** The emulator's own origin (`""` when unknown), for the URLs an answer holds. */
  readonly origin: string
}

/** @internal */
export type Handler<O> = (internals: Internals, input: Input<O>) => Effect.Effect<AnswerOf<O>, ApiError.ApiError>

/** @internal */
export type Handlers = { readonly [K in Name]: Handler<Operations[K]> }
