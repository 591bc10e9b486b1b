/**
 * What a push would change, before it is sent: `versions push --plan` (files, env vars by
 * name, build tag, source type), the check that lets `versions push` skip an upload that
 * changes nothing, and `versions diff` (the files only).
 *
 * @since 0.1.0
 */
import { type ActorBuilds, Actors, ActorVersions, type ApifyError, KeyValueStores } from "@effect-apify/api"
import { type ActorId, KeyValueStore, type Version, type VersionNumber } from "@effect-apify/domain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as CliError from "../CliError.js"
import * as ExitCodes from "../ExitCodes.js"
import * as FileHashes from "../FileHashes.js"
import type * as Flags from "../Flags.js"
import * as Format from "../Format.js"
import * as Output from "../Output.js"
import type * as PushPlan from "../PushPlan.js"
import { run } from "../Runner.js"
import * as SourceDirectory from "../SourceDirectory.js"
import * as TerminalText from "../TerminalText.js"
import * as VersionDiff from "../VersionDiff.js"
import * as VersionFiles from "../VersionFiles.js"
import { notFoundVersions, parseActor, parseVersion } from "./Arguments.js"
import * as Builds from "./Builds.js"
import * as PushZip from "./PushZip.js"
import { warnSkipped } from "./VersionSource.js"

type Services = ActorVersions.ActorVersions | Actors.Actors | KeyValueStores.KeyValueStores

/**
 * The version as it is, or undefined when it is not found (404). With `checkActor`, a 404
 * is followed by a read of the Actor, so that a missing Actor still fails (a push finds that
 * out by itself when it creates the version).
 *
 * @since 0.1.0
 */
export const remoteVersion = (
  actorId: ActorId.ActorId,
  versionNumber: VersionNumber.VersionNumber,
  checkActor: boolean
): Effect.Effect<Version.Version | undefined, ApifyError.ApifyError, Services> =>
  Effect.gen(function*() {
    const versions = yield* ActorVersions.ActorVersions
    const actors = yield* Actors.Actors
    return yield* versions.get(actorId, versionNumber).pipe(
      Effect.map((version): Version.Version | undefined => version),
      Effect.catchTag("NotFound", () =>
        checkActor ? Effect.as(actors.get(actorId), undefined) : Effect.succeed(undefined))
    )
  })

const settingsOf = (plan: PushPlan.Plan): VersionDiff.Settings => ({
  sourceType: plan.collected.large === undefined ? "SOURCE_FILES" : "TARBALL",
  envVars: plan.envVars,
  buildTag: plan.buildTag
})

// The modes a push of `collected` records: only a zip records any.
const modesOf = (collected: SourceDirectory.Collected): FileHashes.Modes =>
  collected.large === undefined ? new Map() : FileHashes.modesOfFound(collected.large.files)

// The files are compared as the push would send them, whatever their size (over the inline
// limit they are read again a piece at a time); a TARBALL version's zip is downloaded and read.
const diffOf = (plan: PushPlan.Plan, remote: Version.Version | undefined) =>
  Effect.gen(function*() {
    const remoteFiles: VersionDiff.Remote = remote === undefined
      ? { _tag: "Listed", files: new Map() }
      : yield* VersionFiles.readOrExplain(remote)
    const files = remoteFiles._tag === "Listed" ? yield* FileHashes.ofCollected(plan.collected) : new Map()
    const diff = VersionDiff.make({ ...settingsOf(plan), files, modes: modesOf(plan.collected) }, remote, remoteFiles)
    return diff.files === undefined || remoteFiles._tag !== "Listed"
      ? diff
      : { ...diff, files: VersionDiff.withNotes(diff.files, remoteFiles.files) }
  })

/**
 * A TARBALL version's zip that is not where a push over the inline limit puts it: the
 * version's URL (without its query, where a signature may be) and the store and record the
 * push writes (`PushZip.location`).
 *
 * @since 0.1.0
 */
export interface TarballMove {
  readonly from: string
  readonly to: { readonly store: string; readonly key: string }
}

/**
 * Where a push of `plan` over the inline limit moves `remote`'s zip, or undefined when its
 * `tarballUrl` is already the URL of the record the push writes. The store is read by
 * `username~name` (never created: a missing store means the URL is not the push's record) only
 * when the URL names a record of the push's key.
 *
 * @since 0.1.0
 */
export const tarballMove = (
  actorId: ActorId.ActorId,
  plan: PushPlan.Plan,
  remote: Version.TarballVersion
): Effect.Effect<TarballMove | undefined, ApifyError.ApifyError, Actors.Actors | KeyValueStores.KeyValueStores> =>
  Effect.gen(function*() {
    const actors = yield* Actors.Actors
    const stores = yield* KeyValueStores.KeyValueStores
    const actor = yield* actors.get(actorId)
    const to = PushZip.location(actor.id, plan.versionNumber)
    const move: TarballMove = { from: VersionFiles.withoutQuery(remote.tarballUrl), to }
    const url = URL.canParse(remote.tarballUrl) ? new URL(remote.tarballUrl) : undefined
    if (url === undefined || !url.pathname.endsWith(`/records/${encodeURIComponent(to.key)}`)) return move
    const store = yield* stores.get(`${actor.username}~${to.store}`).pipe(
      Effect.catchTag("NotFound", () => Effect.succeed(undefined))
    )
    if (store === undefined) return move
    const written = stores.recordUrl(store, Schema.decodeSync(KeyValueStore.RecordKey)(to.key))
    return URL.canParse(written) && new URL(written).href === url.href ? undefined : move
  }).pipe(Effect.withSpan("Plan.tarballMove"))

// The version as it is when a push of `plan` would change nothing on it, else undefined. The
// files are compared only when nothing else differs (the source type too: a push over the
// inline limit meets a TARBALL version, whose zip must be the record the push writes); a
// TARBALL version's zip is downloaded only then.
const unchangedOf = (
  actorId: ActorId.ActorId,
  plan: PushPlan.Plan,
  remote: Version.Version | undefined
): Effect.Effect<Version.Version | undefined, ApifyError.ApifyError | CliError.LocalFileError, Services> =>
  Effect.gen(function*() {
    if (remote === undefined) return undefined
    if (!VersionDiff.settingsUnchanged(VersionDiff.settings(settingsOf(plan), remote))) return undefined
    const large = plan.collected.large
    if (large !== undefined && remote._tag === "TarballVersion") {
      if ((yield* tarballMove(actorId, plan, remote)) !== undefined) return undefined
      return (yield* VersionFiles.holdsExactly(remote, large.files)) ? remote : undefined
    }
    const diff = yield* diffOf(plan, remote)
    return VersionDiff.isEmpty(diff) ? remote : undefined
  })

/**
 * Runs `push` unless a push of `plan` would change nothing on the version: then says so on
 * stderr (with `--json`, prints the version as it is) and, with `--build`, builds it as it is.
 * `push` is told whether the version exists, as read.
 *
 * @since 0.1.0
 */
export const unlessUnchanged = <E, R>(
  args: { readonly json: boolean; readonly build: boolean; readonly log: boolean; readonly abortOnInterrupt: boolean },
  actorId: ActorId.ActorId,
  plan: PushPlan.Plan,
  push: (exists: boolean) => Effect.Effect<number, E, R>
): Effect.Effect<
  number,
  E | ApifyError.ApifyError | CliError.LocalFileError,
  R | Services | ActorBuilds.ActorBuilds
> =>
  Effect.gen(function*() {
    const remote = yield* remoteVersion(actorId, plan.versionNumber, false)
    const current = yield* unchangedOf(actorId, plan, remote)
    if (current === undefined) return yield* push(remote !== undefined)
    yield* Console.error(
      `Version ${plan.versionNumber} of ${actorId} is unchanged: nothing sent (--force pushes anyway).`
    )
    if (!args.build) {
      yield* Effect.when(Output.emit(true, Output.versionRecord(current), () => ""), () => args.json)
      return ExitCodes.ExitCode.ok
    }
    const follow = { noWait: false, log: args.log, abortOnInterrupt: args.abortOnInterrupt }
    const build = yield* Builds.startBuild(actorId, plan.versionNumber, undefined, follow)
    yield* Output.emit(
      args.json,
      { version: Output.versionRecord(current), build: Builds.buildRecord(build) },
      () => Builds.buildDetails(build)
    )
    return Builds.exitCodeAfter(build, follow)
  })

const changeRows = (files: VersionDiff.NotedFiles): Array<Array<string>> => [
  ...files.added.map((name) => ["added", TerminalText.escape(name)]),
  ...files.removed.map((name) => ["removed", TerminalText.escape(name)]),
  ...files.changed.map((name) => {
    const note = files.notes?.[name]
    return ["changed", note === undefined ? TerminalText.escape(name) : `${TerminalText.escape(name)} (${note})`]
  }),
  ...(files.modeChanged ?? []).map((name) => ["mode changed", `${TerminalText.escape(name)} (executable bit)`])
]

const envRows = (envVars: VersionDiff.EnvVars): Array<Array<string>> => [
  ...envVars.added.map((name) => ["added", name]),
  ...envVars.removed.map((name) => ["removed", name]),
  ...envVars.changed.map((name) => ["changed", name]),
  ...envVars.secret.map((name) => ["secret", `${name} (sent again: a secret's value cannot be read back)`])
]

const counts = (files: VersionDiff.Files): string =>
  `${Format.number(files.added.length)} added, ${Format.number(files.removed.length)} removed, ${
    Format.number(files.changed.length)
  } changed, ${files.modeChanged === undefined ? "" : `${Format.number(files.modeChanged.length)} mode changed, `}${
    Format.number(files.unchanged)
  } unchanged`

/**
 * The plan as text: a summary, then the changed files and env vars; `tarball`: where the
 * push moves the version's zip (`tarballMove`).
 *
 * @since 0.1.0
 */
export const planText = (diff: VersionDiff.Diff, tarball?: TarballMove): string => {
  if (VersionDiff.isEmpty(diff) && tarball === undefined) {
    return "No changes: the version is the same as the directory."
  }
  const env = diff.envVars
  const summary = Format.fields([
    ["version", diff.exists ? "exists" : "does not exist (the push creates it)"],
    ["source type", diff.sourceType && `${diff.sourceType.from ?? "(none)"} -> ${diff.sourceType.to}`],
    ["build tag", diff.buildTag && `${diff.buildTag.from ?? "(none)"} -> ${diff.buildTag.to}`],
    [
      "tarball",
      tarball &&
      `${TerminalText.escape(tarball.from)} -> record ${tarball.to.key} of the store ${tarball.to.store}`
    ],
    ["files", diff.files === undefined ? `not compared: ${TerminalText.escape(diff.note ?? "")}` : counts(diff.files)],
    [
      "env vars",
      env === undefined
        ? "not in actor.json (the version keeps its own)"
        : `${env.added.length} added, ${env.removed.length} removed, ${env.changed.length} changed${
          env.secret.length === 0 ? "" : `, ${Format.count(env.secret.length, "secret")} sent again`
        }`
    ]
  ])
  const files = diff.files === undefined ? [] : changeRows(diff.files)
  const vars = env === undefined ? [] : envRows(env)
  return [
    summary,
    ...(files.length === 0 ? [] : [Format.table(["CHANGE", "FILE"], files)]),
    ...(vars.length === 0 ? [] : [Format.table(["CHANGE", "ENV VAR"], vars)])
  ].join("\n\n")
}

/**
 * `versions push --plan`: prints what the push would change, and sends nothing.
 *
 * @since 0.1.0
 */
export const showPlan = (
  json: boolean,
  actorId: ActorId.ActorId,
  plan: PushPlan.Plan
): Effect.Effect<void, ApifyError.ApifyError | CliError.LocalFileError, Services> =>
  Effect.gen(function*() {
    const remote = yield* remoteVersion(actorId, plan.versionNumber, true)
    const diff = yield* diffOf(plan, remote)
    const tarball = plan.collected.large !== undefined && remote?._tag === "TarballVersion"
      ? yield* tarballMove(actorId, plan, remote)
      : undefined
    yield* Output.emit(
      json,
      {
        actor: actorId,
        versionNumber: plan.versionNumber,
        unchanged: VersionDiff.isEmpty(diff) && tarball === undefined,
        ...diff,
        tarball
      },
      () =>
        `Plan: push ${
          TerminalText.escape(plan.collected.directory)
        } to version ${plan.versionNumber} of ${actorId} (nothing sent).\n\n${planText(diff, tarball)}`
    )
  })

const diffText = (
  files: VersionDiff.NotedFiles,
  versionNumber: VersionNumber.VersionNumber,
  actorId: ActorId.ActorId,
  directory: string
): string => {
  const rows = changeRows(files)
  return rows.length === 0
    ? `No file differs: version ${versionNumber} of ${actorId} has the files of ${TerminalText.escape(directory)}.`
    : `${Format.table(["CHANGE", "FILE"], rows)}\n\n${counts(files)}`
}

/**
 * `versions diff`: the files a push of DIR would add, remove and change on the version, DIR
 * of any size; a TARBALL version's zip is downloaded and compared, a version built from a Git
 * repository or a gist is said to hold no files.
 *
 * @since 0.1.0
 */
export const versionsDiff = (
  args: Flags.CommonFlags & {
    readonly actor: string
    readonly version: string
    readonly directory: Option.Option<string>
  }
) => {
  const directory = Option.getOrElse(args.directory, () => ".")
  return run(
    args,
    `diff ${directory} with version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const collected = yield* SourceDirectory.collect(directory, { overLimit: "select" })
      yield* warnSkipped(collected)
      const versions = yield* ActorVersions.ActorVersions
      const remote = yield* versions.get(actorId, versionNumber)
      const sourceType = remote._tag === "UnknownSourceVersion" ? remote.sourceType ?? null : remote.sourceType
      const remoteFiles = yield* VersionFiles.read(remote)
      if (remoteFiles._tag === "NotCompared") {
        const note = remoteFiles.reason
        return yield* Output.emit(
          args.json,
          { sourceType, note },
          () => `Files not compared: ${TerminalText.escape(note)}.`
        )
      }
      const files = VersionDiff.withNotes(
        VersionDiff.compare(
          yield* FileHashes.ofCollected(collected),
          remoteFiles.files,
          modesOf(collected),
          remoteFiles.modes
        ),
        remoteFiles.files
      )
      yield* Output.emit(args.json, { sourceType, ...files }, () => diffText(files, versionNumber, actorId, directory))
    }),
    { notFoundHint: notFoundVersions(args.actor) }
  )
}
