/**
 * The handler of `versions push`: the plan (`PushPlan`), printed with `--dry-run`, else sent
 * as a create of the version when it does not exist, or an update when it does (read first,
 * as Apify's CLI does).
 *
 * @since 0.1.0
 */
import { ActorVersions, ApifyError } from "@effect-apify/api"
import { type ActorId, Limits, type Version } from "@effect-apify/domain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ExitCodes from "../ExitCodes.js"
import type * as Flags from "../Flags.js"
import * as Format from "../Format.js"
import * as Output from "../Output.js"
import * as Progress from "../Progress.js"
import * as PushPlan from "../PushPlan.js"
import { run, runLocal } from "../Runner.js"
import * as ZipSource from "../ZipSource.js"
import { parseActor } from "./Arguments.js"
import * as Builds from "./Builds.js"
import { createOrUpdate } from "./CreateOrUpdate.js"
import * as Plan from "./Plan.js"
import * as PushZip from "./PushZip.js"
import { warnSkipped } from "./VersionSource.js"

const planText = (plan: PushPlan.Plan): string => {
  const files = plan.collected.entries
  const lines = [
    Format.fields([
      ["directory", plan.collected.directory],
      ["version", `${plan.versionNumber}${plan.versionSource === "default" ? " (default)" : ""}`],
      ["build tag", plan.buildTag],
      ["files", `${Format.count(files.length, "file")}, ${Format.bytes(plan.collected.inlineSize)} as sent`],
      [
        "env vars",
        plan.envVars === undefined
          ? "not set (the version keeps its own)"
          : plan.envVars.length === 0
          ? "none"
          : plan.envVars.map((v) => `${v.name}=${v.isSecret === true ? PushPlan.mask : v.value}`).join(", ")
      ],
      [
        "missing secrets",
        plan.missingSecrets.length === 0 ? undefined : plan.missingSecrets.map((s) => `@${s}`).join(", ")
      ]
    ]),
    Format.table(["FILE", "FORMAT", "SIZE"], files.map((f) => [f.name, f.format, Format.bytes(f.bytes)])),
    ...(plan.collected.skipped.length === 0 ? [] : [
      Format.table(["SKIPPED", "WHY"], plan.collected.skipped.map((s) => [s.name, s.reason]))
    ])
  ]
  return lines.join("\n\n")
}

/**
 * The parsed arguments of `versions push`.
 *
 * @since 0.1.0
 */
export type PushArgs = Flags.CommonFlags & {
  readonly actor: string
  readonly directory: Option.Option<string>
  readonly versionNumber: Option.Option<string>
  readonly buildTag: Option.Option<string>
  readonly dryRun: boolean
  readonly allowMissingSecrets: boolean
  readonly refuseOutsideLinks: boolean
  readonly build: boolean
  readonly log: boolean
  readonly abortOnInterrupt: boolean
  readonly plan: boolean
  readonly force: boolean
}

// The Actor and the plan, with a warning for each entry skipped and for missing secrets.
const decide = (args: PushArgs, directory: string) =>
  Effect.gen(function*() {
    const actorId = yield* parseActor(args.actor)
    const plan = yield* PushPlan.make({
      directory,
      versionNumber: args.versionNumber,
      buildTag: args.buildTag,
      allowMissingSecrets: args.allowMissingSecrets,
      outsideLinks: args.refuseOutsideLinks ? "refuse" : "skip",
      overLimit: "zip"
    })
    yield* warnSkipped(plan.collected)
    // A zip that pull could not read back is refused before anything is sent (and by --dry-run, --plan).
    const refused = plan.collected.large === undefined ? undefined : ZipSource.refusal(plan.collected.large.files)
    if (refused !== undefined) return yield* refused
    if (plan.missingSecrets.length > 0) {
      yield* Console.error(
        `Warning: secret${plan.missingSecrets.length > 1 ? "s" : ""} ${
          plan.missingSecrets.map((s) => `@${s}`).join(", ")
        } not found in ~/.apify/secrets.json; pushing without ${plan.missingSecrets.length > 1 ? "them" : "it"}.`
      )
    }
    return { actorId, plan }
  })

const dryRunZip = (args: PushArgs, actorId: string, plan: PushPlan.Plan, large: PushZip.Large) =>
  Output.emit(
    args.json,
    {
      versionNumber: plan.versionNumber,
      sourceType: "TARBALL",
      buildTag: plan.buildTag,
      ...(plan.envVars === undefined ? {} : {
        envVars: plan.envVars.map((v) => v.isSecret === true ? { ...v, value: PushPlan.mask } : v)
      }),
      zip: {
        files: large.files.map((f) => f.name),
        bytes: large.bytes,
        ...PushZip.location(actorId, plan.versionNumber)
      },
      ...(plan.collected.skipped.length === 0 ? {} : { skipped: plan.collected.skipped })
    },
    () =>
      `Dry run: would upload ${
        PushZip.describeZip(large)
      } and push version ${plan.versionNumber} of ${actorId} as TARBALL (nothing sent; over the ${
        Format.bytes(Limits.maxInlineSourceBytes)
      } inline limit).`
  )

const dryRun = (args: PushArgs, actorId: string, plan: PushPlan.Plan) =>
  plan.collected.large !== undefined ? dryRunZip(args, actorId, plan, plan.collected.large) : Output.emit(
    args.json,
    plan.collected.skipped.length === 0
      ? PushPlan.masked(plan)
      : { ...(PushPlan.masked(plan) as object), skipped: plan.collected.skipped },
    () => `Dry run: would push to version ${plan.versionNumber} of ${actorId} (nothing sent).\n\n${planText(plan)}`
  )

// `exists`: whether the version exists, as read just before: a new one is created, an existing
// one updated, so that the message says which whatever the API's PUT does with a missing
// version (Apify's appears to create it); a version created or deleted in between is converged on.
const send = (args: PushArgs, actorId: ActorId.ActorId, decided: PushPlan.Plan, exists: boolean) =>
  Effect.gen(function*() {
    const versions = yield* ActorVersions.ActorVersions
    const large = decided.collected.large
    const count = Format.count(large?.files.length ?? decided.collected.entries.length, "file")
    let size = Format.bytes(decided.collected.inlineSize)
    let updated: boolean
    let version: Version.Version
    if (large !== undefined) {
      const zipped = yield* PushZip.send(actorId, decided, large, exists)
      ;[updated, version] = [zipped.updated, zipped.version]
      size = `a ${Format.bytes(zipped.zipBytes)} zip`
    } else {
      ;[updated, version] = yield* Progress.withLine(
        `uploading ${count} (${size}) to version ${decided.versionNumber}`,
        createOrUpdate({
          exists,
          create: versions.create(actorId, decided.body),
          update: versions.update(actorId, decided.versionNumber, decided.body),
          alreadyExists: ApifyError.Types.versionAlreadyExists
        })
      )
    }
    // With --build --json, the version is printed with the build, as one document.
    yield* Output.emit(
      args.json,
      Output.versionRecord(version),
      () =>
        `${
          updated ? "Updated" : "Created"
        } version ${version.versionNumber} of ${actorId}: ${count}, ${size}, build tag ${decided.buildTag}${
          decided.envVars === undefined ? "" : `, ${Format.count(decided.envVars.length, "env var")}`
        }.`
    ).pipe(Effect.when(() => !(args.json && args.build)))
    if (!args.build) return ExitCodes.ExitCode.ok
    const follow = { noWait: false, log: args.log, abortOnInterrupt: args.abortOnInterrupt }
    const build = yield* Builds.startBuild(actorId, decided.versionNumber, undefined, follow)
    yield* Output.emit(
      args.json,
      { version: Output.versionRecord(version), build: Builds.buildRecord(build) },
      () => Builds.buildDetails(build)
    )
    return Builds.exitCodeAfter(build, follow)
  })

/**
 * `versions push`: creates or updates a version from a local directory.
 *
 * @since 0.1.0
 */
export const versionsPush = (args: PushArgs) => {
  const directory = Option.getOrElse(args.directory, () => ".")
  const what = `push ${directory} to ${args.actor}`
  const plan = decide(args, directory)
  if (args.plan) {
    return run(
      args,
      what,
      Effect.flatMap(plan, ({ actorId, plan }) => Plan.showPlan(args.json, actorId, plan))
    )
  }
  return args.dryRun
    ? runLocal(args, what, Effect.flatMap(plan, ({ actorId, plan }) => dryRun(args, actorId, plan)))
    : Builds.runWithCode(
      args,
      what,
      Effect.flatMap(
        plan,
        ({ actorId, plan }) =>
          args.force
            ? Effect.flatMap(
              Plan.remoteVersion(actorId, plan.versionNumber, false),
              (remote) => send(args, actorId, plan, remote !== undefined)
            )
            : Plan.unlessUnchanged(args, actorId, plan, (exists) => send(args, actorId, plan, exists))
      )
    )
}
