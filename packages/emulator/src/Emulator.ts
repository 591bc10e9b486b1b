/**
 * An Apify-compatible server for the Actor, version and environment variable endpoints:
 * in memory as an `HttpClient` layer (no sockets), or as a real loopback HTTP server. Both
 * run the same router over the same state.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-apify/emulator"
 * import * as HttpClient from "@effect/platform/HttpClient"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const emulator = yield* Emulator.Emulator
 *   yield* emulator.seedActor({ name: "my-actor" })
 *   const client = yield* HttpClient.HttpClient
 *   const response = yield* client.get("https://api.apify.com/v2/acts/owner~my-actor", {
 *     headers: { authorization: `Bearer ${Emulator.defaultUsers[0].token}` }
 *   })
 *   return response.status // 200
 * }).pipe(Effect.provide(Emulator.layerHttpClient()))
 * ```
 *
 * @since 0.1.0
 */
import { Actor, Issue, Limits } from "@effect-apify/domain"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import { ServeError } from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Arr from "effect/Array"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Faults from "./internal/faults.js"
import * as Prng from "./internal/prng.js"
import * as Router from "./internal/router.js"
import * as Store from "./internal/store.js"
import * as Target from "./internal/target.js"

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
  readonly pricingInfos: ReadonlyArray<unknown>
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
  /** Deletes every Actor and clears the rate limiter; users, faults and the counter stay. */
  readonly reset: Effect.Effect<void>
  /** The router itself, for serving it some other way. */
  readonly app: HttpApp.Default<never, HttpServerRequest.HttpServerRequest>
}

/**
 * The emulator in the context: `Emulator.layer`, `layerHttpClient` and `layerServer` provide it.
 *
 * @since 0.1.0
 */
export class Emulator extends Context.Tag("@effect-apify/emulator/Emulator")<Emulator, EmulatorService>() {}

const defaultSeed = 1

/**
 * Builds an emulator: fresh state, the users, the router.
 *
 * @since 0.1.0
 */
export const make = (options: EmulatorOptions = {}): Effect.Effect<EmulatorService> =>
  Effect.gen(function*() {
    const given = options.users ?? defaultUsers
    const [first, ...others] = given
    const owner: User = options.token === undefined ? first : { ...first, token: options.token }
    const users: Arr.NonEmptyReadonlyArray<User> = [owner, ...others]
    const seed = options.seed ?? defaultSeed
    const state = yield* Ref.make(Store.empty)
    const requests = yield* Ref.make(0)
    const faults = yield* Ref.make(Faults.initial(options.faults ?? {}, seed))
    const rateLimit = yield* Ref.make<Router.RateLimit | false>(
      options.rateLimit === undefined ? { perSecond: 60 } : options.rateLimit
    )
    const buckets = yield* Ref.make(HashMap.empty<string, { readonly tokens: number; readonly at: number }>())
    const ids = yield* Ref.make(seed ^ 0x5bd1e995)
    const log = yield* Ref.make(Chunk.empty<RequestRecord>())
    const app = Router.make({
      users,
      state,
      requests,
      faults,
      rateLimit,
      buckets,
      ids,
      log,
      maxBodyBytes: options.maxRequestBodyBytes ?? Limits.maxRequestBodyBytes,
      maxEnvVarsPerVersion: Limits.maxEnvVarsPerVersion
    })

    const seedActor = (input: SeedActor): Effect.Effect<ActorRecord, SeedError> =>
      Effect.gen(function*() {
        const { id: fixedId, username, ...body } = input
        const user = username === undefined ? owner : users.find((u) => u.username === username)
        if (user === undefined) {
          return yield* new SeedError({ message: `username: no user ${JSON.stringify(username)} in this emulator` })
        }
        const decoded = yield* Schema.decodeUnknown(Actor.CreateActor)(body, { errors: "all" }).pipe(
          Effect.mapError((error) => new SeedError({ message: Issue.summary(error) }))
        )
        const id = fixedId ?? (yield* Ref.modify(ids, (s) => Prng.id(s)))
        const now = new Date(yield* Clock.currentTimeMillis).toISOString()
        const result = yield* Ref.modify(
          state,
          (s): readonly [Either.Either<ActorRecord, string>, Store.State] => {
            const created = Store.createActor(s, { id, input: decoded, now, user })
            return Either.isRight(created) ?
              [Either.right(created.right[0]), created.right[1]] :
              [Either.left(created.left.message), s]
          }
        )
        if (Either.isLeft(result)) return yield* new SeedError({ message: result.left })
        return result.right
      })

    return {
      users,
      owner,
      seedActor,
      snapshot: Effect.map(Ref.get(state), (s) => ({ users, actors: Store.actorsOf(s) })),
      requestCount: Ref.get(requests),
      requestLog: Effect.map(Ref.get(log), Chunk.toReadonlyArray),
      setFaults: (next) => Ref.set(faults, Faults.initial(next, seed)),
      setRateLimit: (next) => Ref.set(rateLimit, next),
      reset: Effect.zipRight(Ref.set(state, Store.empty), Ref.set(buckets, HashMap.empty())),
      app
    }
  })

/**
 * An emulator in the context, without any transport: for serving `app` yourself or for
 * composing with `layerHttpClientFrom`.
 *
 * @since 0.1.0
 */
export const layer = (options?: EmulatorOptions): Layer.Layer<Emulator> => Layer.effect(Emulator, make(options))

/**
 * The platform's server tracer would record every request's URL, `?token=` included, as a
 * span; the router adds its own span without it.
 */
const withoutServerSpans = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.locally(effect, HttpMiddleware.currentTracerDisabledWhen, () => true)

// ---------------------------------------------------------------------------
// in memory
// ---------------------------------------------------------------------------

/**
 * An `HttpClient` whose every request is answered by the emulator in the same process, with
 * no socket: the request becomes a web `Request`, the router answers it
 * (`HttpApp.toWebHandler`), and the web `Response` becomes the client response. Any host
 * works in the URL; only the path, query, headers and body matter. The router runs with the
 * caller's runtime, so `TestClock` and the current tracer apply to it.
 *
 * @since 0.1.0
 */
export const httpClient = (emulator: EmulatorService): Effect.Effect<HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const runtime = yield* withoutServerSpans(Effect.runtime<never>())
    // `Location` starts with the base URL the client was given (the request URL's origin)
    const app = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      Effect.locally(
        emulator.app,
        Target.currentOrigin,
        Option.liftThrowable(() => new URL(request.originalUrl).origin)()
      ))
    const handler = HttpApp.toWebHandlerRuntime(runtime)(app)
    const fetch: typeof globalThis.fetch = (input, init) =>
      handler(new Request(input, init)).then((response) =>
        response.headers.has(Router.dropHeader) ?
          Promise.reject(new TypeError("fetch failed: the emulator dropped the connection")) :
          response
      )
    return yield* HttpClient.HttpClient.pipe(
      Effect.provide(FetchHttpClient.layer),
      Effect.provideService(FetchHttpClient.Fetch, fetch)
    )
  })

/**
 * The in-memory `HttpClient` of the `Emulator` already in the context.
 *
 * @since 0.1.0
 */
export const layerHttpClientFrom: Layer.Layer<HttpClient.HttpClient, never, Emulator> = Layer.effect(
  HttpClient.HttpClient,
  Effect.flatMap(Emulator, httpClient)
)

/**
 * A fresh emulator and an `HttpClient` answered by it in memory: the layer for unit tests.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-apify/emulator"
 * import * as HttpClient from "@effect/platform/HttpClient"
 * import * as Effect from "effect/Effect"
 *
 * const test = Effect.gen(function*() {
 *   const emulator = yield* Emulator.Emulator
 *   yield* emulator.seedActor({ name: "my-actor" })
 *   const client = yield* HttpClient.HttpClient // answered by the emulator, no sockets
 *   // ... run the code under test with `client`, then:
 *   const { actors } = yield* emulator.snapshot
 *   return actors.length
 * }).pipe(Effect.provide(Emulator.layerHttpClient({ rateLimit: false })))
 * ```
 *
 * @since 0.1.0
 */
export const layerHttpClient = (
  options?: EmulatorOptions
): Layer.Layer<HttpClient.HttpClient | Emulator> => layerHttpClientFrom.pipe(Layer.provideMerge(layer(options)))

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

/**
 * The running loopback server in the context (provided by `layerServer`).
 *
 * @since 0.1.0
 */
export class Server extends Context.Tag("@effect-apify/emulator/Emulator/Server")<Server, ServerInfo>() {}

const loopbackApp = (
  app: HttpApp.Default<never, HttpServerRequest.HttpServerRequest>
): HttpApp.Default<never, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(
    app,
    (response: HttpServerResponse.HttpServerResponse) =>
      response.headers[Router.dropHeader] === undefined ?
        Effect.succeed(response) :
        Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
          Effect.zipRight(
            Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()),
            Effect.interrupt
          ))
  )

/**
 * Starts the emulator as a real HTTP server on loopback for the life of the scope.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-apify/emulator"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const server = yield* Emulator.serve({ port: 0, token: "my-token" })
 *   console.log(server.url) // http://127.0.0.1:54321
 * }))
 * ```
 *
 * @since 0.1.0
 */
export const serve = (options: ServeOptions = {}): Effect.Effect<ServerInfo, ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const emulator = yield* make(options)
    const host = options.host ?? "127.0.0.1"
    const nodeServer = Http.createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, { port: options.port ?? 0, host }).pipe(
      Effect.mapError((error) => {
        // keep the cause, and say what went wrong in `message` (the platform leaves it empty)
        const fields = {
          cause: error.cause,
          message: error.cause instanceof Error ? error.cause.message : String(error.cause)
        }
        return new ServeError(fields)
      })
    )
    // runs before the platform's `close`, which would otherwise wait for busy keep-alive connections
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    const urlHost = host.includes(":") ? `[${host}]` : host
    const url = `http://${urlHost}:${port}`
    // `Location` starts with the server's own URL, never the client's Host header
    yield* withoutServerSpans(
      server.serve(loopbackApp(Effect.locally(emulator.app, Target.currentOrigin, Option.some(url))))
    )
    return {
      url,
      host,
      port,
      users: emulator.users,
      owner: emulator.owner,
      emulator
    }
  })

/**
 * `serve` as a layer: the running server and its emulator.
 *
 * @since 0.1.0
 */
export const layerServer = (options?: ServeOptions): Layer.Layer<Emulator | Server, ServeError> =>
  Layer.scopedContext(
    Effect.map(serve(options), (info) => Context.make(Emulator, info.emulator).pipe(Context.add(Server, info)))
  )

/**
 * The lines to print when the emulator starts from a command line: the base URL first, then
 * the owner's token and user.
 *
 * @since 0.1.0
 */
export const banner = (info: ServerInfo): ReadonlyArray<string> => [
  info.url,
  `token: ${info.owner.token}`,
  `user: ${info.owner.username} (${info.owner.id})`
]
