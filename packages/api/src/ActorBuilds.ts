/**
 * Builds of an Actor version: start one, read it, wait for it to end, abort it, and follow its
 * log as it grows.
 *
 * Every method's error type lists exactly what it can fail with (derived from its contract
 * operation). Waiting is done the API's way: each read asks the server to hold the answer until
 * the build ends (`waitForFinish`, at most 60 s and within the client's timeout), and reads
 * again until the build has ended. Interrupting a wait or a log stops it at once (the open
 * request is aborted); the build itself goes on unless you `abort` it.
 *
 * @example
 * ```ts
 * import { ActorBuilds } from "@effect-apify/api"
 * import { ActorId, VersionNumber } from "@effect-apify/domain"
 * import * as Console from "effect/Console"
 * import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
 * import * as Stream from "effect/Stream"
 *
 * const program = Effect.gen(function*() {
 *   const builds = yield* ActorBuilds.ActorBuilds
 *   const started = yield* builds.build(ActorId.make("janedoe/my-actor"), VersionNumber.VersionNumber.make("0.1"), {
 *     tag: "latest"
 *   })
 *   yield* builds.log(started.id).pipe(Stream.runForEach((text) => Console.error(text)))
 *   const finished = yield* builds.waitForFinish(started.id)
 *   return finished.status // "SUCCEEDED", "FAILED", "TIMED-OUT" or "ABORTED"
 * })
 * ```
 *
 * @since 0.1.0
 */
import type { ActorId, VersionNumber } from "@effect-apify/domain"
import { Build, Contract } from "@effect-apify/domain"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as ApifyClient from "./ApifyClient.js"
import * as ApifyError from "./ApifyError.js"
import * as Engine from "./internal/engine.js"
import * as OptionChecks from "./internal/options.js"
import { pathOf } from "./internal/path.js"
import { querySearch } from "./internal/query.js"
import * as Resource from "./internal/resource.js"
import { pathRefusal, span, stub, withPathChecks } from "./internal/service.js"

/**
 * The errors of `build`: `NotFound` for an unknown Actor (or version), `BadRequest` for a
 * query the API refuses.
 *
 * @since 0.1.0
 */
export type BuildError = ApifyError.ErrorOf<typeof Contract.buildActor>

/**
 * The errors of `get` and `waitForFinish`.
 *
 * @since 0.1.0
 */
export type GetError = ApifyError.ErrorOf<typeof Contract.getBuild>

/**
 * The errors of `abort`.
 *
 * @since 0.1.0
 */
export type AbortError = ApifyError.ErrorOf<typeof Contract.abortBuild>

/**
 * The errors of `log`: those of reading the log, and of reading the build between two rounds
 * of following it.
 *
 * @since 0.1.0
 */
export type LogError = ApifyError.ErrorOf<typeof Contract.getLog> | GetError

/**
 * Options of `build`.
 *
 * @since 0.1.0
 */
export interface BuildOptions {
  /** The tag the build gets when it succeeds; default: the version's `buildTag`. */
  readonly tag?: string | undefined
  /** Use the build cache. */
  readonly useCache?: boolean | undefined
  /** Build with beta versions of Apify's packages. */
  readonly betaPackages?: boolean | undefined
  /** Seconds the server may wait for the build to end before answering (0-60; see `get`). */
  readonly waitForFinishSecs?: number | undefined
}

/**
 * Options of `get`.
 *
 * @since 0.1.0
 */
export interface GetOptions {
  /**
   * Seconds the server may wait for the build to end before answering: 0 (the default) to 60,
   * and at most the client's timeout less 2 s, so that the wait never times out the request.
   */
  readonly waitForFinishSecs?: number | undefined
}

/**
 * Options of `waitForFinish`.
 *
 * @since 0.1.0
 */
export interface WaitOptions {
  /**
   * When the wait is interrupted, abort the build too (the abort is sent once, its outcome
   * ignored). Default `false`: interrupting stops the waiting only.
   */
  readonly abortOnInterrupt?: boolean | undefined
  /**
   * How long a status this library does not know, without `finishedAt`, is waited on before
   * the build is given as it is (not finished: see `Build.isFinished`). Default 60 s; from 0 to
   * `2^31 - 1` ms, otherwise (`NaN`, negative, text that is no duration) `InvalidRequest`.
   */
  readonly unknownStatusLimit?: Duration.DurationInput | undefined
}

/**
 * The shortest time between the starts of two reads of `waitForFinish` when the server answers
 * before it (one that does not hold the answer, or a build in a status it does not wait on),
 * and the longest it grows to, by half each time the server answers early again.
 *
 * @since 0.1.0
 */
export const pollInterval = { min: Duration.seconds(1), max: Duration.seconds(5) } as const

/**
 * Options of `log`.
 *
 * @since 0.1.0
 */
export interface LogOptions {
  /** Follow the log until the build ends (default), or read what there is now and stop. */
  readonly follow?: boolean | undefined
  /**
   * How long to wait before opening the log again when the server ended it early. Default 1 s;
   * from 0 to `2^31 - 1` ms, otherwise `InvalidRequest`.
   */
  readonly reopenDelay?: Duration.DurationInput | undefined
}

/**
 * The builds service.
 *
 * @since 0.1.0
 */
export interface Service {
  /** Starts a build of a version; the answer is the build as it is then (usually `READY` or `RUNNING`). */
  readonly build: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    options?: BuildOptions
  ) => Effect.Effect<Build.Build, BuildError>
  /** One build, optionally after waiting on the server for it to end. */
  readonly get: (buildId: string, options?: GetOptions) => Effect.Effect<Build.Build, GetError>
  /**
   * The build once it has ended (`Build.isFinished`): reads it with the longest wait allowed,
   * again and again, at least `pollInterval` apart. A status this library does not know is
   * waited on for `unknownStatusLimit`, then the build is given as it is. An answer for another
   * build is a `DecodeError`. Interrupting it stops the waiting, and the build too with
   * `abortOnInterrupt`.
   */
  readonly waitForFinish: (buildId: string, options?: WaitOptions) => Effect.Effect<Build.Build, GetError>
  /** Aborts a build that is starting or running; a build that has ended is returned as it is. */
  readonly abort: (buildId: string) => Effect.Effect<Build.Build, AbortError>
  /**
   * The build's log as text, in the pieces it arrives in. Following (the default), the log is
   * read as a stream the server keeps open while the build runs; when it closes before the
   * build has ended, the log is opened again and what was already received is skipped. The
   * stream ends when the build has ended and its log has been read to the end.
   */
  readonly log: (buildId: string, options?: LogOptions) => Stream.Stream<string, LogError>
}

/**
 * The builds service: build it with `layer` over an `ApifyClient`, or stub it with `layerTest`.
 *
 * @since 0.1.0
 */
export class ActorBuilds extends Context.Tag("@effect-apify/api/ActorBuilds")<ActorBuilds, Service>() {}

const methods = ["build", "get", "waitForFinish", "abort", "log"] as const

/**
 * The longest `waitForFinish` that fits a client's timeout: at most 60 s and 2 s under the
 * timeout.
 *
 * @since 0.1.0
 */
export const maxWaitSecs = (timeout: Duration.Duration): number =>
  Math.max(0, Math.min(Build.maxWaitForFinishSecs, Math.floor(Duration.toSeconds(timeout)) - 2))

// Drops the first `count` bytes of a stream: what an earlier round of following already gave.
const skipBytes = <E>(stream: Stream.Stream<Uint8Array, E>, count: number): Stream.Stream<Uint8Array, E> =>
  count === 0 ? stream : Stream.suspend(() => {
    let left = count
    return Stream.filterMap(stream, (chunk) => {
      if (left === 0) return Option.some(chunk)
      if (chunk.length <= left) {
        left -= chunk.length
        return Option.none()
      }
      const rest = chunk.subarray(left)
      left = 0
      return Option.some(rest)
    })
  })

/**
 * Builds the service over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Service, never, ApifyClient.ApifyClient> = Effect.gen(function*() {
  const client = yield* ApifyClient.ApifyClient
  const engine = yield* Engine.of(client)
  const waitCap = maxWaitSecs(client.timeout)
  const minPoll = Duration.toMillis(pollInterval.min)
  const maxPoll = Duration.toMillis(pollInterval.max)
  const start = Resource.callWithQuery(engine, Contract.buildActor)
  const read = Resource.callForId(engine, Contract.getBuild, "build", (build) => build.id)
  const abortForId = Resource.callForId(engine, Contract.abortBuild, "build", (build) => build.id)
  const abort = (buildId: string) => abortForId("", buildId)
  const openLog = Resource.open(engine, Contract.getLog)
  const wait = (secs: number | undefined) => secs === undefined ? undefined : Math.min(Math.max(0, secs), waitCap)

  const get = (buildId: string, options?: GetOptions) =>
    Effect.flatMap(
      querySearch(engine, Contract.getBuild, [buildId], { waitForFinish: wait(options?.waitForFinishSecs) }),
      (query) => read(query, buildId)
    )

  // Reads the build until it has ended; an answer sooner than the interval is waited out.
  const untilFinished = (buildId: string, unknownLimit: number): Effect.Effect<Build.Build, GetError> =>
    Effect.gen(function*() {
      let gap = minPoll
      let unknownSince: number | undefined
      while (true) {
        const sent = yield* Clock.currentTimeMillis
        const build = yield* get(buildId, { waitForFinishSecs: waitCap })
        if (build.isFinished) return build
        const now = yield* Clock.currentTimeMillis
        unknownSince = Schema.is(Build.KnownStatus)(build.status) ? undefined : unknownSince ?? now
        if (unknownSince !== undefined && now - unknownSince >= unknownLimit) return build
        if (now - sent >= gap) {
          gap = minPoll
        } else {
          yield* Effect.sleep(Duration.millis(gap - (now - sent)))
          gap = Math.min(gap * 1.5, maxPoll)
        }
      }
    })

  const log = (buildId: string, options?: LogOptions): Stream.Stream<string, LogError> => {
    const refused = pathRefusal(engine, Contract.getLog, [buildId])
    if (refused !== undefined) return Stream.fail(refused)
    const delay = durationOption(Contract.getLog, buildId, "reopenDelay", options?.reopenDelay, Duration.seconds(1))
    if (delay._tag === "Left") return Stream.fail(delay.left)
    const bytes: Stream.Stream<Uint8Array, LogError> = Stream.suspend(() => {
      let seen = 0
      const round = (stream: boolean) =>
        Stream.unwrapScoped(
          Effect.map(openLog(stream ? "?stream=1" : "", buildId), (opened) => skipBytes(opened.stream, seen))
        ).pipe(Stream.map((chunk) => {
          seen += chunk.length
          return chunk
        }))
      const follow = (): Stream.Stream<Uint8Array, LogError> =>
        Stream.concat(
          round(true),
          Stream.unwrap(Effect.map(get(buildId), (build) =>
            build.isFinished
              ? round(false)
              : Stream.concat(Stream.drain(Stream.fromEffect(Effect.sleep(delay.right))), Stream.suspend(follow))))
        )
      return options?.follow === false ? round(false) : follow()
    })
    return bytes.pipe(Stream.decodeText(), Stream.withSpan(Contract.getLog.name, spanOptions(buildId)))
  }

  // A duration option of a method (default `fallback`), or `InvalidRequest` naming it.
  const durationOption = (
    operation: typeof Contract.getBuild | typeof Contract.getLog,
    buildId: string,
    name: string,
    value: Duration.DurationInput | undefined,
    fallback: Duration.Duration
  ): Either.Either<Duration.Duration, ApifyError.InvalidRequest> => {
    if (value === undefined) return Either.right(fallback)
    const checked = OptionChecks.duration(name, value, 0, OptionChecks.maxTimerMillis)
    return checked.problem === undefined ? Either.right(checked.duration) : Either.left(
      new ApifyError.InvalidRequest({
        detail: checked.problem,
        method: operation.method,
        path: engine.errorPath(pathOf(operation)(buildId), operation.base)
      })
    )
  }

  const spanOptions = (buildId: string) => ({
    kind: "client" as const,
    captureStackTrace: false,
    attributes: { "apify.build_id": buildId }
  })

  const service: Service = {
    build: (actorId, versionNumber, options = {}) =>
      Effect.flatMap(
        querySearch(engine, Contract.buildActor, [actorId], {
          version: versionNumber,
          tag: options.tag,
          useCache: options.useCache,
          betaPackages: options.betaPackages,
          waitForFinish: wait(options.waitForFinishSecs)
        }),
        (query) => start(query, actorId)
      ).pipe(
        Effect.tap((build) => Effect.annotateCurrentSpan("apify.build_id", build.id)),
        span(Contract.buildActor.name, { "apify.actor_id": actorId, "apify.version_number": versionNumber })
      ),
    get: (buildId, options) => get(buildId, options).pipe(span(Contract.getBuild.name, { "apify.build_id": buildId })),
    waitForFinish: (buildId, options) =>
      Effect.flatMap(
        durationOption(
          Contract.getBuild,
          buildId,
          "unknownStatusLimit",
          options?.unknownStatusLimit,
          Duration.minutes(1)
        ),
        (limit) => untilFinished(buildId, Duration.toMillis(limit))
      ).pipe(
        options?.abortOnInterrupt === true
          ? Effect.onInterrupt(() => Effect.ignore(abort(buildId)))
          : (self) => self,
        span("ActorBuilds.waitForFinish", { "apify.build_id": buildId })
      ),
    abort: (buildId) => abort(buildId).pipe(span(Contract.abortBuild.name, { "apify.build_id": buildId })),
    log
  }
  return ActorBuilds.of(withPathChecks(engine, service, {
    build: Contract.buildActor,
    get: Contract.getBuild,
    waitForFinish: Contract.getBuild,
    abort: Contract.abortBuild
  }))
})

/**
 * The service as a layer over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<ActorBuilds, never, ApifyClient.ApifyClient> = Layer.effect(ActorBuilds, make)

/**
 * A stub for tests: implement only the methods your code calls. Calling any other method dies
 * with a message naming it.
 *
 * @example
 * ```ts
 * import { ActorBuilds } from "@effect-apify/api"
 * import { Build } from "@effect-apify/domain"
 * import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
 * import * as Stream from "effect/Stream"
 *
 * const AlwaysSucceeds = ActorBuilds.layerTest({
 *   waitForFinish: (buildId) => Effect.succeed(Build.Build.make({ id: buildId, actId: "a", status: "SUCCEEDED" })),
 *   log: () => Stream.make("Build finished\n")
 * })
 * ```
 *
 * @since 0.1.0
 */
export const layerTest = (implementation: Partial<Service>): Layer.Layer<ActorBuilds> =>
  Layer.succeed(
    ActorBuilds,
    ActorBuilds.of({
      ...stub<Service>("ActorBuilds", methods, implementation),
      log: implementation.log ?? (() =>
        Stream.dieMessage(
          "ActorBuilds.layerTest: log was called but the test stub does not implement it; pass { log: ... }"
        ))
    })
  )
