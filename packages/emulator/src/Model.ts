/**
 * What an emulator is made of, as plain types: its users, options and faults, the state as
 * records, the request log, and the handle on it. A leaf: the internals import it, never the
 * `Emulator` facade, which re-exports all of it.
 *
 * @since 0.1.0
 */
import type { Actor, PricingInfo } from "@effect-apify/domain"
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as Arr from "effect/Array"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

// ---------------------------------------------------------------------------
// users
// ---------------------------------------------------------------------------

/**
 * A user of the emulator: the token authenticates as this user, who owns the Actors they
 * create.
 *
 * @since 0.1.0
 */
export interface User {
  readonly id: string
  readonly username: string
  readonly token: string
}

/**
 * The users every emulator has unless `EmulatorOptions.users` says otherwise: the owner
 * (first) and a stranger, who gets 403 `insufficient-permissions` on the owner's Actors.
 *
 * @since 0.1.0
 */
export const defaultUsers: readonly [User, User] = [
  { id: "ownerUserId000001", username: "owner", token: "apify_api_owner_test_token" },
  { id: "strangerUserId001", username: "stranger", token: "apify_api_stranger_test_token" }
]

// ---------------------------------------------------------------------------
// options
// ---------------------------------------------------------------------------

/**
 * Added latency: with `probability` (default 1) each request waits a time drawn between
 * `min` and `max` (default `min`) before it is handled.
 *
 * @since 0.1.0
 */
export interface LatencyFault {
  readonly probability?: number | undefined
  readonly min: Duration.DurationInput
  readonly max?: Duration.DurationInput | undefined
}

/**
 * 429 bursts: with `probability` a request starts a burst, and it and the next `length - 1`
 * requests (default length 3) get 429 `rate-limit-exceeded`, with `Retry-After:
 * retryAfterSeconds` when that is set. `times` bounds the number of bursts.
 *
 * @since 0.1.0
 */
export interface RateLimitBurstFault {
  readonly probability: number
  readonly length?: number | undefined
  readonly retryAfterSeconds?: number | undefined
  readonly times?: number | undefined
}

/**
 * 5xx answers: with `probability` a request gets `status` (default 500) without being
 * handled; `nonJsonBody: true` sends an HTML body instead of the JSON error envelope.
 * `times` bounds how many.
 *
 * @since 0.1.0
 */
export interface ServerErrorFault {
  readonly probability: number
  readonly status?: number | undefined
  readonly nonJsonBody?: boolean | undefined
  readonly times?: number | undefined
}

/**
 * Dropped connections: with `probability` the request is not handled and the connection is
 * closed without an answer (loopback: the socket is destroyed; in memory: the `HttpClient`
 * fails with a transport error). `times` bounds how many.
 *
 * @since 0.1.0
 */
export interface DropFault {
  readonly probability: number
  readonly times?: number | undefined
}

/**
 * "Commit then fail": with `probability` a write (POST, PUT, DELETE) is applied, and then
 * its successful answer is replaced by a 500 (`answer: "500"`, the default) or a dropped
 * connection (`answer: "drop"`). Failed writes keep their real answer. `times` bounds how
 * many.
 *
 * @since 0.1.0
 */
export interface CommitThenFailFault {
  readonly probability: number
  readonly answer?: "500" | "drop" | undefined
  readonly times?: number | undefined
}

/**
 * The faults an emulator injects. Every draw comes from a small generator seeded with
 * `seed` (default: the emulator's seed), so the same requests in the same order meet the
 * same faults. At most one of 429 / drop / 5xx / commit-then-fail hits a request, checked in
 * that order; latency adds to any of them.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-apify/emulator"
 *
 * // the first two requests get 503, then everything succeeds
 * const faults: Emulator.FaultOptions = { serverErrors: { probability: 1, status: 503, times: 2 } }
 *
 * // every create of a version is applied and then answered with a dropped connection
 * const lostAnswers: Emulator.FaultOptions = {
 *   when: ({ method, path }) => method === "POST" && path.endsWith("/versions"),
 *   commitThenFail: { probability: 1, answer: "drop" }
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface FaultOptions {
  readonly seed?: number | undefined
  /**
   * Which requests faults may hit (default: all). Requests it refuses are handled normally
   * and draw nothing from the generator. `path` is the URL path without the query.
   */
  readonly when?: ((request: FaultTarget) => boolean) | undefined
  readonly latency?: LatencyFault | undefined
  readonly rateLimitBursts?: RateLimitBurstFault | undefined
  readonly serverErrors?: ServerErrorFault | undefined
  readonly dropConnections?: DropFault | undefined
  readonly commitThenFail?: CommitThenFailFault | undefined
}

/**
 * What `FaultOptions.when` sees of a request.
 *
 * @since 0.1.0
 */
export interface FaultTarget {
  readonly method: string
  readonly path: string
}

/**
 * The per-Actor rate limit: `perSecond` requests per second per Actor (a token bucket that
 * holds `perSecond` tokens), like Apify's 60/s per resource. Over it: 429
 * `rate-limit-exceeded` with `X-RateLimit-Limit`.
 *
 * @since 0.1.0
 */
export interface RateLimitOptions {
  readonly perSecond: number
}

/**
 * How to build an emulator.
 *
 * - `users`: who exists (default `defaultUsers`); the first is the owner.
 * - `token`: replaces the owner's token (what `effect-apify emulator --token T` sets).
 * - `rateLimit`: `{ perSecond }` (default 60) or `false` for none.
 * - `faults`: faults injected from the start (see `FaultOptions`; change them with `setFaults`).
 * - `seed`: seeds Actor IDs and faults (default 1), so runs repeat.
 * - `maxRequestBodyBytes`: the body limit after decompression (default 9,437,184).
 * - `buildMillis`: how long a build runs, `READY` then `RUNNING` (default 2,000).
 * - `maxRecordBytes`: the largest key-value store record after decompression (default 256 MiB;
 *   Apify documents no limit).
 * - `recordRedirects`: answer a record read that carries no `signature` with a 302 to the
 *   record's signed URL on this server, as Apify redirects to where a record is stored
 *   (default `false`: the record itself, 200). `disableRedirect=1` asks for the record itself.
 *
 * @since 0.1.0
 */
export interface EmulatorOptions {
  readonly users?: Arr.NonEmptyReadonlyArray<User> | undefined
  readonly token?: string | undefined
  readonly rateLimit?: RateLimitOptions | false | undefined
  readonly faults?: FaultOptions | undefined
  readonly seed?: number | undefined
  readonly maxRequestBodyBytes?: number | undefined
  readonly buildMillis?: number | undefined
  readonly maxRecordBytes?: number | undefined
  readonly recordRedirects?: boolean | undefined
}

// ---------------------------------------------------------------------------
// state as plain data
// ---------------------------------------------------------------------------

/**
 * An environment variable as stored, secret values included (the HTTP API never returns
 * them; the snapshot does, so tests can assert on them).
 *
 * @since 0.1.0
 */
export interface EnvVarRecord {
  readonly name: string
  readonly value: string
  readonly isSecret: boolean
}

/**
 * A source file or folder as stored.
 *
 * @since 0.1.0
 */
export type SourceFileRecord =
  | { readonly name: string; readonly format: "TEXT" | "BASE64"; readonly content: string }
  | { readonly name: string; readonly folder: true }

/**
 * A version as stored. `envVars` is `null` when the version was created without any.
 *
 * @since 0.1.0
 */
export interface VersionRecord {
  readonly versionNumber: string
  readonly sourceType: string
  readonly envVars: ReadonlyArray<EnvVarRecord> | null
  readonly applyEnvVarsToBuild: boolean
  readonly buildTag: string | null
  readonly sourceFiles?: ReadonlyArray<SourceFileRecord>
  readonly gitRepoUrl?: string
  readonly tarballUrl?: string
  readonly gitHubGistUrl?: string
}

/**
 * An Actor as stored.
 *
 * @since 0.1.0
 */
export interface ActorRecord {
  readonly id: string
  readonly userId: string
  readonly username: string
  readonly name: string
  readonly title: string | null
  readonly description: string | null
  readonly isPublic: boolean
  readonly isDeprecated: boolean
  readonly seoTitle: string | null
  readonly seoDescription: string | null
  readonly categories: ReadonlyArray<string>
  readonly createdAt: string
  readonly modifiedAt: string
  readonly defaultRunOptions: Readonly<Record<string, unknown>>
  readonly actorStandby: Readonly<Record<string, unknown>> | null
  readonly exampleRunInput: Readonly<Record<string, unknown>> | null
  readonly pricingInfos: ReadonlyArray<PricingInfo.PricingInfoRequest>
  readonly versions: ReadonlyArray<VersionRecord>
}

/**
 * The whole state: users and Actors (ordered by creation time, then ID).
 *
 * @since 0.1.0
 */
export interface Snapshot {
  readonly users: ReadonlyArray<User>
  readonly actors: ReadonlyArray<ActorRecord>
}

/**
 * One request as the emulator saw it: method, path (without the query, so no `?token=`), the
 * status it answered (`"dropped"` when the connection was dropped) and the fault that hit it.
 *
 * @since 0.1.0
 */
export interface RequestRecord {
  readonly method: string
  readonly path: string
  readonly status: number | "dropped"
  readonly fault: "rate-limit-burst" | "server-error" | "drop" | "commit-then-fail" | null
}

/**
 * What `seedActor` takes: the body of "create Actor" (its encoded, JSON form), plus the
 * owner's `username` (default: the first user) and an optional fixed `id`.
 *
 * @since 0.1.0
 */
export type SeedActor = typeof Actor.CreateActor.Encoded & {
  readonly username?: string | undefined
  readonly id?: string | undefined
}

/**
 * `seedActor` was given something the API would refuse; `message` names the field.
 *
 * @since 0.1.0
 */
export class SeedError extends Schema.TaggedError<SeedError>()("SeedError", {
  message: Schema.String
}) {}

// ---------------------------------------------------------------------------
// the handle
// ---------------------------------------------------------------------------

/**
 * The handle on an emulator's state.
 *
 * @since 0.1.0
 */
export interface EmulatorService {
  /** The users and their tokens; the first is the owner. */
  readonly users: Arr.NonEmptyReadonlyArray<User>
  /** The first user. */
  readonly owner: User
  /** Creates an Actor directly in the state, with the same rules as `POST /v2/acts`. */
  readonly seedActor: (input: SeedActor) => Effect.Effect<ActorRecord, SeedError>
  /** The whole state as plain data. */
  readonly snapshot: Effect.Effect<Snapshot>
  /** How many HTTP requests reached the router (faulted ones included). */
  readonly requestCount: Effect.Effect<number>
  /** The most recent requests (up to 10,000), oldest first. */
  readonly requestLog: Effect.Effect<ReadonlyArray<RequestRecord>>
  /** Replaces the fault options; counters restart and the generator is reseeded. */
  readonly setFaults: (faults: FaultOptions) => Effect.Effect<void>
  /** Replaces the rate limit (`false` turns it off). */
  readonly setRateLimit: (rateLimit: RateLimitOptions | false) => Effect.Effect<void>
  /** Deletes every Actor, build and store and clears the rate limiter; users, faults and the counter stay. */
  readonly reset: Effect.Effect<void>
  /** The router itself, for serving it some other way. */
  readonly app: HttpApp.Default<never, HttpServerRequest.HttpServerRequest>
}

// ---------------------------------------------------------------------------
// loopback
// ---------------------------------------------------------------------------

/**
 * Where to listen: `port` 0 (the default) picks a free port; `host` defaults to `127.0.0.1`.
 *
 * @since 0.1.0
 */
export interface ServeOptions extends EmulatorOptions {
  readonly port?: number | undefined
  readonly host?: string | undefined
}

/**
 * A running loopback emulator: its base URL (`http://127.0.0.1:PORT`, no trailing slash),
 * users and handle.
 *
 * @since 0.1.0
 */
export interface ServerInfo {
  readonly url: string
  readonly host: string
  readonly port: number
  readonly users: Arr.NonEmptyReadonlyArray<User>
  readonly owner: User
  readonly emulator: EmulatorService
}
