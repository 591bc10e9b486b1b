/**
 * The handlers of `versions list`, `get`, `create`, `update` and `delete`.
 *
 * @since 0.1.0
 */
import { ActorVersions } from "@effect-apify/api"
import type { VersionRequest } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as CliError from "../CliError.js"
import type * as Flags from "../Flags.js"
import * as Output from "../Output.js"
import * as Progress from "../Progress.js"
import { run } from "../Runner.js"
import { notFoundVersions, parseActor, parseVersion } from "./Arguments.js"
import { settingsFrom, sourceFrom, sourceLabel } from "./VersionSource.js"

/**
 * `versions list`.
 *
 * @since 0.1.0
 */
export const versionsList = (args: Flags.CommonFlags & { readonly actor: string }) =>
  run(
    args,
    `list versions of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versions = yield* ActorVersions.ActorVersions
      const list = yield* versions.list(actorId)
      yield* Output.emitList(args.json, list.map(Output.versionRecord), () => Output.versionsTable(list))
    })
  )

/**
 * `versions get`.
 *
 * @since 0.1.0
 */
export const versionsGet = (args: Flags.CommonFlags & { readonly actor: string; readonly version: string }) =>
  run(
    args,
    `get version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const versions = yield* ActorVersions.ActorVersions
      const version = yield* versions.get(actorId, versionNumber)
      yield* Output.emit(args.json, Output.versionRecord(version), () => Output.versionDetails(version))
    }),
    { notFoundHint: notFoundVersions(args.actor) }
  )
/**
 * `versions create`.
 *
 * @since 0.1.0
 */
export const versionsCreate = (
  args: Flags.CommonFlags & Flags.SourceFlags & { readonly actor: string; readonly version: string }
) =>
  run(
    args,
    `create version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const source = yield* sourceFrom(args, true)
      const settings = yield* settingsFrom(args)
      const body = { versionNumber, ...settings, ...source } as VersionRequest.CreateVersion
      const versions = yield* ActorVersions.ActorVersions
      const version = yield* Progress.withLine(
        `creating version ${versionNumber}${sourceLabel(source)}`,
        versions.create(actorId, body)
      )
      yield* Output.emit(
        args.json,
        Output.versionRecord(version),
        () => `Created version ${version.versionNumber} of ${actorId}.\n\n${Output.versionDetails(version)}`
      )
    })
  )

/**
 * `versions update`: only what is given changes.
 *
 * @since 0.1.0
 */
export const versionsUpdate = (
  args: Flags.CommonFlags & Flags.SourceFlags & {
    readonly actor: string
    readonly version: string
    readonly usePost: boolean
  }
) =>
  run(
    args,
    `update version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const source = yield* sourceFrom(args, false)
      const settings = yield* settingsFrom(args)
      const body: VersionRequest.UpdateVersion = { ...settings, ...source }
      if (Object.keys(body).length === 0) {
        return yield* new CliError.InvalidInput({
          message: "nothing to change",
          hint: "give a source (--git-repo, --tarball, --gist, --source-dir) or a setting (--build-tag, --env, ...)"
        })
      }
      const versions = yield* ActorVersions.ActorVersions
      const version = yield* Progress.withLine(
        `updating version ${versionNumber}${sourceLabel(source)}`,
        versions.update(actorId, versionNumber, body, { usePost: args.usePost })
      )
      yield* Output.emit(
        args.json,
        Output.versionRecord(version),
        () => `Updated version ${version.versionNumber} of ${actorId}.\n\n${Output.versionDetails(version)}`
      )
    }),
    { notFoundHint: notFoundVersions(args.actor) }
  )

/**
 * `versions delete`.
 *
 * @since 0.1.0
 */
export const versionsDelete = (args: Flags.CommonFlags & { readonly actor: string; readonly version: string }) =>
  run(
    args,
    `delete version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const versions = yield* ActorVersions.ActorVersions
      yield* versions.delete(actorId, versionNumber)
      yield* Output.say(args.json, `Deleted version ${versionNumber} of ${actorId}.`)
    }),
    { notFoundHint: notFoundVersions(args.actor) }
  )
