/**
 * The handlers of `builds create`, `get` and `log`, and the build that `versions push --build`
 * starts: started, waited for (its log on stderr on a terminal or with `--log`), printed, and
 * the run ended with the exit code of the build's status (`ExitCodes`).
 *
 * @since 0.1.0
 */
import { ActorBuilds, ApifyClient, type ApifyError } from "@effect-apify/api"
import { type ActorId, Build, type VersionNumber } from "@effect-apify/domain"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as BuildLog from "../BuildLog.js"
import * as CliError from "../CliError.js"
import * as ExitCodes from "../ExitCodes.js"
import type * as Flags from "../Flags.js"
import * as Format from "../Format.js"
import * as Output from "../Output.js"
import type * as Remote from "../Remote.js"
import { run } from "../Runner.js"
import { parseActor, parseVersion } from "./Arguments.js"

/**
 * How a started build is followed.
 *
 * @since 0.1.0
 */
export interface FollowFlags {
  readonly noWait: boolean
  readonly log: boolean
  readonly abortOnInterrupt: boolean
}

/**
 * The exit code a build ends the run with: 0 when it SUCCEEDED, its own code when it ended
 * FAILED, TIMED-OUT or ABORTED, 1 for a final status this CLI does not know.
 *
 * @since 0.1.0
 */
export const exitCodeOf = (status: Build.Status): number => {
  switch (status) {
    case "SUCCEEDED":
      return ExitCodes.ExitCode.ok
    case "FAILED":
      return ExitCodes.ExitCode.buildFailed
    case "TIMED-OUT":
      return ExitCodes.ExitCode.buildTimedOut
    case "ABORTED":
      return ExitCodes.ExitCode.buildAborted
    default:
      return ExitCodes.ExitCode.failure
  }
}

const encodeBuild = Schema.encodeSync(Build.Build)

/**
 * A build as JSON: the API's `data` as received.
 *
 * @since 0.1.0
 */
export const buildRecord = (build: Build.Build): unknown => ApifyClient.receivedData(build) ?? encodeBuild(build)

/**
 * A build for people: its ID, number, status and times.
 *
 * @since 0.1.0
 */
export const buildDetails = (build: Build.Build): string =>
  Format.fields([
    ["build", build.id],
    ["number", build.buildNumber],
    ["actor", build.actId],
    ["status", build.status],
    ["started", build.startedAt],
    ["finished", build.finishedAt],
    [
      "duration",
      build.stats?.durationMillis === undefined ? undefined : `${(build.stats.durationMillis / 1000).toFixed(1)} s`
    ]
  ])

const notFoundHint = "check the build ID (`builds create` prints it)"

// The build once it has ended; its log on stderr meanwhile when asked for (the default on a
// terminal).
const awaitBuild = (build: Build.Build, flags: FollowFlags) =>
  Effect.flatMap(ActorBuilds.ActorBuilds, (builds) => {
    const waited = builds.waitForFinish(build.id, { abortOnInterrupt: flags.abortOnInterrupt })
    return flags.log || process.stderr.isTTY === true ? BuildLog.showWhile(build.id, waited) : waited
  })

/**
 * What a command knows of the build it starts, for its report when it fails or is stopped:
 * a build that may have started (its start failed after reaching the API), or one that has
 * started and is being waited for.
 *
 * @since 0.1.0
 */
export type Followed =
  | { readonly _tag: "MaybeStarted"; readonly of: string }
  | { readonly _tag: "Started"; readonly id: string; readonly of: string }

/**
 * Where `startBuild` records what it knows (`Followed`); `runWithCode` provides it.
 *
 * @since 0.1.0
 */
export class Following extends Context.Tag("@effect-apify/cli/handlers/Builds/Following")<
  Following,
  Ref.Ref<Option.Option<Followed>>
>() {}

const follow = (followed: Option.Option<Followed>) =>
  Effect.flatMap(
    Effect.serviceOption(Following),
    Option.match({
      onNone: () => Effect.void,
      onSome: (ref) => Ref.set(ref, followed)
    })
  )

// Whether a failed start may have reached the API and started the build all the same.
const mayHaveStarted = (error: ApifyError.ApifyError): boolean =>
  error._tag === "DecodeError" ||
  (error._tag === "ServerError" && error.status >= 500) ||
  (error._tag === "TransportError" && error.unsent !== true && error.reason !== "InvalidUrl")

// After Ctrl-C while the build was being started: the API's answer is awaited and a build it
// started is aborted.
const abortLate = (
  builds: ActorBuilds.Service,
  starting: Fiber.Fiber<Build.Build, ApifyError.ApifyError>,
  of: string
) =>
  Effect.gen(function*() {
    yield* Console.error(
      `Interrupted: waiting for the API to answer the start of a build of ${of}, to abort it (Ctrl-C again leaves it).`
    )
    const exit = yield* Fiber.await(starting)
    if (Exit.isFailure(exit)) {
      const failed = Cause.failureOption(exit.cause)
      return yield* Console.error(
        Option.isSome(failed) && mayHaveStarted(failed.value)
          ? `The start failed; a build of ${of} may have started all the same and was not aborted (its ID is not known).`
          : `No build of ${of} was started.`
      )
    }
    const id = exit.value.id
    const aborted = yield* Effect.either(builds.abort(id))
    yield* Console.error(
      aborted._tag === "Right"
        ? `Aborted build ${id} of ${of}, started as you interrupted.`
        : `Build ${id} of ${of} started as you interrupted, and could not be aborted: ${aborted.left.message}`
    )
  })

// Starts the build. Ctrl-C cuts the start short, unless `abortOnInterrupt`: then the build is
// aborted once the API has answered (within the client's timeout).
const start = (
  builds: ActorBuilds.Service,
  actorId: ActorId.ActorId,
  versionNumber: VersionNumber.VersionNumber,
  tag: string | undefined,
  flags: FollowFlags
) => {
  const of = `version ${versionNumber} of ${actorId}`
  const request = builds.build(actorId, versionNumber, tag === undefined ? {} : { tag }).pipe(
    Effect.tapError((error) =>
      follow(mayHaveStarted(error) ? Option.some({ _tag: "MaybeStarted", of }) : Option.none())
    )
  )
  return flags.abortOnInterrupt
    ? Effect.flatMap(
      Effect.forkDaemon(request),
      (starting) => Effect.onInterrupt(Fiber.join(starting), () => abortLate(builds, starting, of))
    )
    : Effect.onInterrupt(
      request,
      () => Console.error(`Interrupted before the API answered: a build of ${of} may have started; it was not aborted.`)
    )
}

/**
 * Starts a build of a version and, unless `noWait`, waits for it to end; gives the build as
 * it is then. What it knows of the build is recorded in `Following` when provided.
 *
 * @since 0.1.0
 */
export const startBuild = (
  actorId: ActorId.ActorId,
  versionNumber: VersionNumber.VersionNumber,
  tag: string | undefined,
  flags: FollowFlags
) =>
  Effect.gen(function*() {
    const builds = yield* ActorBuilds.ActorBuilds
    const of = `version ${versionNumber} of ${actorId}`
    const started = yield* start(builds, actorId, versionNumber, tag, flags)
    yield* Console.error(`Started build ${started.buildNumber ?? ""} (${started.id}) of ${of}.`)
    if (flags.noWait) return started
    yield* follow(Option.some({ _tag: "Started", id: started.id, of }))
    const ended = yield* awaitBuild(started, flags).pipe(Effect.onInterrupt(() =>
      Console.error(
        flags.abortOnInterrupt
          ? `Interrupted: asked the API to abort build ${started.id}.`
          : `Interrupted: build ${started.id} goes on (\`effect-apify builds get ${started.id}\` shows it).`
      )
    ))
    yield* follow(Option.none())
    if (!ended.isFinished) {
      yield* Console.error(
        `Build ${ended.id} is ${ended.status}, a status this CLI does not know, with no finish time: ` +
          `it may still be running (\`effect-apify builds get ${ended.id}\` shows it).`
      )
    }
    return ended
  })

/**
 * The exit code of a build `startBuild` gave: 0 for one not waited for.
 *
 * @since 0.1.0
 */
export const exitCodeAfter = (build: Build.Build, flags: FollowFlags): number =>
  flags.noWait ? ExitCodes.ExitCode.ok : exitCodeOf(build.status)

// What the report of a failure names once a build is known to have started.
const followedWhat = (what: string, ref: Ref.Ref<Option.Option<Followed>>) =>
  Effect.map(Ref.get(ref), (followed) =>
    Option.isSome(followed) && followed.value._tag === "Started"
      ? `wait for build ${followed.value.id} of ${followed.value.of}`
      : what)

// The line after a failure's report: what became of the build.
const followedNote = (followed: Followed): string =>
  followed._tag === "Started"
    ? `The build may still be running: \`effect-apify builds get ${followed.id}\` shows it.`
    : `The API may have started a build of ${followed.of} before the failure; ` +
      `the start was not sent again, so as not to start a second build.`

/**
 * Runs a command body that gives an exit code: a failure is reported as `run` does, and a
 * code other than 0 ends the run with it (the build has been printed already). A build the
 * body started (`Following`) is named in the report of a failure, with what may become of it.
 *
 * @since 0.1.0
 */
export const runWithCode = <
  E extends ApifyError.ApifyError | CliError.CliError,
  R extends Remote.Services | FileSystem.FileSystem
>(
  flags: Flags.CommonFlags,
  what: string,
  body: Effect.Effect<number, E, R>,
  options: Parameters<typeof run>[3] = {}
) =>
  Effect.gen(function*() {
    const code = yield* Ref.make<number>(ExitCodes.ExitCode.ok)
    const followed = yield* Ref.make(Option.none<Followed>())
    yield* run(
      flags,
      followedWhat(what, followed),
      Effect.flatMap(body, (value) => Ref.set(code, value)).pipe(Effect.provideService(Following, followed)),
      options
    ).pipe(Effect.tapError(() =>
      Effect.flatMap(
        Ref.get(followed),
        Option.match({
          onNone: () => Effect.void,
          onSome: (known) => Console.error(followedNote(known))
        })
      )
    ))
    const ended = yield* Ref.get(code)
    if (ended !== ExitCodes.ExitCode.ok) return yield* new CliError.Exit({ code: ended })
  })

/**
 * `builds create`.
 *
 * @since 0.1.0
 */
export const buildsCreate = (
  args: Flags.CommonFlags & FollowFlags & {
    readonly actor: string
    readonly version: string
    readonly tag: Option.Option<string>
  }
) =>
  runWithCode(
    args,
    `build version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const build = yield* startBuild(actorId, versionNumber, Option.getOrUndefined(args.tag), args)
      yield* Output.emit(args.json, buildRecord(build), () => buildDetails(build))
      return exitCodeAfter(build, args)
    })
  )

/**
 * `builds get`.
 *
 * @since 0.1.0
 */
export const buildsGet = (args: Flags.CommonFlags & { readonly buildId: string }) =>
  run(
    args,
    `get build ${args.buildId}`,
    Effect.gen(function*() {
      const builds = yield* ActorBuilds.ActorBuilds
      const build = yield* builds.get(args.buildId)
      yield* Output.emit(args.json, buildRecord(build), () => buildDetails(build))
    }),
    { notFoundHint }
  )

/**
 * `builds log`: the log as it is now, or with `--follow` until the build has ended, on stdout.
 *
 * @since 0.1.0
 */
export const buildsLog = (args: Flags.CommonFlags & { readonly buildId: string; readonly follow: boolean }) =>
  run(
    args,
    `read the log of build ${args.buildId}`,
    Effect.flatMap(
      ActorBuilds.ActorBuilds,
      (builds) => BuildLog.writeTo(process.stdout)(builds.log(args.buildId, { follow: args.follow }))
    ),
    { notFoundHint }
  )
