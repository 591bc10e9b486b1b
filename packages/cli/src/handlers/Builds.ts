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
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as CliError from "../CliError.js"
import * as ExitCodes from "../ExitCodes.js"
import type * as Flags from "../Flags.js"
import * as Format from "../Format.js"
import * as Output from "../Output.js"
import type * as Remote from "../Remote.js"
import { run } from "../Runner.js"
import * as TerminalText from "../TerminalText.js"
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

/**
 * A piece of a build's log made safe for a terminal: line breaks and tabs kept (a `\r` before
 * a line break dropped), every other control character written out (`TerminalText.escape`),
 * so that a log cannot move the cursor, set the title or clear the screen.
 *
 * @since 0.1.0
 */
export const terminalLog = (text: string): string =>
  text.split("\n").map((line) =>
    (line.endsWith("\r") ? line.slice(0, -1) : line).split("\t").map(TerminalText.escape).join("\t")
  ).join("\n")

// The log as it is into a pipe or file, made safe on a terminal.
const write = (stream: NodeJS.WriteStream) => (text: string) =>
  Effect.sync(() => void stream.write(stream.isTTY === true ? terminalLog(text) : text))

// The build once it has ended; its log on stderr meanwhile when asked for.
const awaitBuild = (build: Build.Build, flags: FollowFlags) =>
  Effect.gen(function*() {
    const builds = yield* ActorBuilds.ActorBuilds
    const waited = builds.waitForFinish(build.id, { abortOnInterrupt: flags.abortOnInterrupt })
    const showLog = flags.log || process.stderr.isTTY === true
    if (!showLog) return yield* waited
    const [, ended] = yield* Effect.all([
      Stream.runForEach(builds.log(build.id), write(process.stderr)),
      waited
    ], { concurrency: 2 })
    return ended
  })

/**
 * Starts a build of a version and, unless `noWait`, waits for it to end; gives the build as
 * it is then.
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
    const started = yield* builds.build(actorId, versionNumber, tag === undefined ? {} : { tag })
    yield* Console.error(
      `Started build ${started.buildNumber ?? ""} (${started.id}) of version ${versionNumber} of ${actorId}.`
    )
    return flags.noWait ? started : yield* awaitBuild(started, flags)
  })

/**
 * The exit code of a build `startBuild` gave: 0 for one not waited for.
 *
 * @since 0.1.0
 */
export const exitCodeAfter = (build: Build.Build, flags: FollowFlags): number =>
  flags.noWait ? ExitCodes.ExitCode.ok : exitCodeOf(build.status)

/**
 * Runs a command body that gives an exit code: a failure is reported as `run` does, and a
 * code other than 0 ends the run with it (the build has been printed already).
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
    yield* run(flags, what, Effect.flatMap(body, (value) => Ref.set(code, value)), options)
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
      (builds) => Stream.runForEach(builds.log(args.buildId, { follow: args.follow }), write(process.stdout))
    ),
    { notFoundHint }
  )
