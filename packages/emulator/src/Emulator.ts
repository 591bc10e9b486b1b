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
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as ActorStore from "./internal/actorStore.js"
import * as BuildStore from "./internal/buildStore.js"
import * as Faults from "./internal/faults.js"
import * as KvStore from "./internal/kvStore.js"
import * as Prng from "./internal/prng.js"
import * as Router from "./internal/router.js"
import * as State from "./internal/state.js"
import * as Target from "./internal/target.js"
import type {
  ActorRecord,
  EmulatorOptions,
  EmulatorService,
  RateLimitOptions,
  RequestRecord,
  SeedActor,
  ServeOptions,
  ServerInfo,
  User
} from "./Model.js"
import { defaultUsers, SeedError } from "./Model.js"

/**
 * The users, options, faults, records and handle of an emulator, as declared in `Model`:
 * `Emulator.User`, `Emulator.FaultOptions`, `Emulator.defaultUsers`, `Emulator.SeedError`, ...
 *
 * @since 0.1.0
 */
export * from "./Model.js"

/**
 * The emulator in the context: `Emulator.layer`, `layerHttpClient` and `layerServer` provide it.
 *
 * @since 0.1.0
 */
export class Emulator extends Context.Tag("@effect-apify/emulator/Emulator")<Emulator, EmulatorService>() {}

const defaultSeed = 1

/**
 * How long a build runs unless `EmulatorOptions.buildMillis` says otherwise.
 *
 * @since 0.1.0
 */
export const defaultBuildMillis = 2_000

/**
 * The largest record value unless `EmulatorOptions.maxRecordBytes` says otherwise: 256 MiB.
 *
 * @since 0.1.0
 */
export const defaultMaxRecordBytes = 256 * 1024 * 1024

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
    const state = yield* Ref.make(State.empty)
    const requests = yield* Ref.make(0)
    const faults = yield* Ref.make(Faults.initial(options.faults ?? {}, seed))
    const rateLimit = yield* Ref.make<RateLimitOptions | false>(
      options.rateLimit === undefined ? { perSecond: 60 } : options.rateLimit
    )
    const buckets = yield* Ref.make(HashMap.empty<string, { readonly tokens: number; readonly at: number }>())
    const ids = yield* Ref.make(seed ^ 0x5bd1e995)
    const log = yield* Ref.make(Chunk.empty<RequestRecord>())
    const builds = yield* Ref.make(BuildStore.empty)
    const stores = yield* Ref.make(KvStore.empty)
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
      maxEnvVarsPerVersion: Limits.maxEnvVarsPerVersion,
      builds,
      stores,
      buildMillis: options.buildMillis ?? defaultBuildMillis,
      maxRecordBytes: options.maxRecordBytes ?? defaultMaxRecordBytes,
      recordRedirects: options.recordRedirects ?? false
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
          (s): readonly [Either.Either<ActorRecord, string>, State.State] => {
            const created = ActorStore.createActor(s, { id, input: decoded, now, user })
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
      snapshot: Effect.map(Ref.get(state), (s) => ({ users, actors: State.actorsOf(s) })),
      requestCount: Ref.get(requests),
      requestLog: Effect.map(Ref.get(log), Chunk.toReadonlyArray),
      setFaults: (next) => Ref.set(faults, Faults.initial(next, seed)),
      setRateLimit: (next) => Ref.set(rateLimit, next),
      reset: Effect.all([
        Ref.set(state, State.empty),
        Ref.set(buckets, HashMap.empty()),
        Ref.set(builds, BuildStore.empty),
        Ref.set(stores, KvStore.empty)
      ], { discard: true }),
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
