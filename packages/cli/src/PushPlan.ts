/**
 * Everything `versions push` decides before it sends a byte: the files (see
 * `SourceDirectory`), the version number (`--version-number`, then `.actor/actor.json`
 * `version`, then `0.0`), the build tag (`--build-tag`, then `actor.json` `buildTag`, then
 * `latest`) and the environment variables from `actor.json` `environmentVariables`, where a
 * value `@name` is a secret read from `~/.apify/secrets.json`.
 *
 * @since 0.1.0
 */
import type { EnvVar } from "@effect-apify/domain"
import { Issue, Limits, VersionNumber, VersionRequest } from "@effect-apify/domain"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as Credentials from "./Credentials.js"
import * as JsonPosition from "./JsonPosition.js"
import * as LocalFiles from "./LocalFiles.js"
import * as SourceDirectory from "./SourceDirectory.js"

/**
 * What the user asked for on the command line.
 *
 * @since 0.1.0
 */
export interface PushOptions {
  readonly directory: string
  readonly versionNumber: Option.Option<string>
  readonly buildTag: Option.Option<string>
  readonly allowMissingSecrets: boolean
  /** what to do with a link that leads outside the directory (default: skip with a warning) */
  readonly outsideLinks?: "skip" | "refuse"
  /** over the inline limit: fail (the default), or plan a zip (`collected.large`) */
  readonly overLimit?: "fail" | "zip"
}

/**
 * The decided push: the body to send and what it was made from.
 *
 * @since 0.1.0
 */
export interface Plan {
  readonly versionNumber: VersionNumber.VersionNumber
  readonly versionSource: "--version-number" | ".actor/actor.json" | "default"
  readonly buildTag: string
  readonly envVars: ReadonlyArray<EnvVar.EnvVarRequest> | undefined
  readonly missingSecrets: ReadonlyArray<string>
  readonly collected: SourceDirectory.Collected
  readonly body: VersionRequest.CreateVersion
}

/**
 * The value shown instead of a secret.
 *
 * @since 0.1.0
 */
export const mask = "********"

const ActorJson = Schema.Struct({
  version: Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Schema.Number))),
  buildTag: Schema.optional(Schema.NullOr(Schema.String)),
  environmentVariables: Schema.optional(
    Schema.NullOr(
      Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean) })
    )
  )
})

/**
 * The largest `.actor/actor.json` that is read: 1 MiB.
 *
 * @since 0.1.0
 */
export const maxActorJsonBytes = 1024 * 1024

// actor.json is read only when it is a regular file of at most 1 MiB inside the directory:
// neither `.actor` nor `actor.json` may be a link leading outside or nowhere, and the file
// read must be the one just checked.
const readActorJsonBytes = (root: string) =>
  Either.gen(function*() {
    const shown = ".actor/actor.json"
    const refuse = (rel: string, what: string) =>
      Either.left(
        new CliError.LocalFileError({
          path: shown,
          message: `${rel} is a symbolic link ${what}; not read`,
          hint: "make .actor a directory and .actor/actor.json a regular file inside the Actor directory"
        })
      )
    for (const rel of [".actor", shown]) {
      const found = yield* LocalFiles.lstatIfExists(NodePath.join(root, rel), rel)
      if (Option.isNone(found)) return Option.none<Uint8Array>()
      if (found.value.kind !== "SymbolicLink") continue
      const target = LocalFiles.resolve(NodePath.join(root, rel))
      if (target._tag === "Broken") return yield* refuse(rel, "that leads nowhere")
      if (!LocalFiles.isInside(root, target.path)) return yield* refuse(rel, "to outside the directory")
    }
    const target = LocalFiles.resolve(NodePath.join(root, shown))
    if (target._tag === "Broken") return yield* refuse(shown, "that leads nowhere")
    if (!LocalFiles.isInside(root, target.path)) return yield* refuse(shown, "to outside the directory")
    const info = yield* LocalFiles.stat(target.path, shown)
    if (info.kind === "Directory") {
      return yield* Either.left(
        new CliError.LocalFileError({
          path: shown,
          message: `${shown} is a directory, not a file`,
          hint:
            "push reads the version, build tag and env vars from the JSON file .actor/actor.json: make it a file, or remove it"
        })
      )
    }
    const expected = { path: target.path, dev: info.dev, ino: info.ino }
    return Option.some(yield* LocalFiles.readBounded(target.path, maxActorJsonBytes, shown, expected))
  })

const readActorJson = (root: string) =>
  Effect.gen(function*() {
    const path = NodePath.join(root, ".actor", "actor.json")
    const bytes = yield* readActorJsonBytes(root)
    if (Option.isNone(bytes)) return Option.none<typeof ActorJson.Type>()
    const text = Buffer.from(bytes.value).toString("utf8")
    // JSON.parse's message quotes the text; the position alone is given.
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () =>
        new CliError.LocalFileError({
          path,
          message: `.actor/actor.json is not valid JSON${JsonPosition.describe(text)}`,
          hint: "fix or remove the file"
        })
    })
    const decoded = Schema.decodeUnknownEither(ActorJson)(json)
    if (Either.isLeft(decoded)) {
      return yield* new CliError.LocalFileError({
        path,
        message: `.actor/actor.json is not valid: ${Issue.summary(decoded.left)}`,
        hint: "fix the file; version is \"MAJOR.MINOR\", buildTag a string, environmentVariables an object"
      })
    }
    return Option.some(decoded.right)
  })

const readSecrets = Effect.suspend(() => {
  const path = NodePath.join(Credentials.apifyDirectory(), "secrets.json")
  return Credentials.readJsonFile(path).pipe(
    // A Map, not an object: "@toString" or "@__proto__" must not find what every object has.
    Effect.map((json): ReadonlyMap<string, string> => {
      const out = new Map<string, string>()
      if (Option.isNone(json) || typeof json.value !== "object" || json.value === null) return out
      for (const [key, value] of Object.entries(json.value)) {
        if (typeof value === "string") out.set(key, value)
      }
      return out
    })
  )
})

const decodeVersionNumber = (value: string, source: string) =>
  Schema.decodeUnknown(VersionNumber.VersionNumber)(value).pipe(
    Effect.mapError(() =>
      new CliError.InvalidInput({
        message: `version number ${JSON.stringify(value)} from ${source} is not valid`,
        hint: "a version number is MAJOR.MINOR, each part 0-99 without leading zeros, e.g. 0.1 or 1.12"
      })
    )
  )

/**
 * Fails when the files total more than the 3 MiB inline limit as sent, naming the largest.
 *
 * @since 0.1.0
 */
export const checkInlineLimit = (
  collected: SourceDirectory.Collected
): Effect.Effect<SourceDirectory.Collected, CliError.InvalidInput> =>
  collected.inlineSize <= Limits.maxInlineSourceBytes
    ? Effect.succeed(collected)
    : Effect.fail(
      SourceDirectory.overLimit(
        collected.entries.map((e) => ({ name: e.name, size: e.sentSize })),
        collected.inlineSize,
        true
      )
    )

/**
 * Decides the push: collects the files, reads `actor.json` and the secrets, checks the 3 MiB
 * inline limit and the request body. Nothing is sent.
 *
 * @since 0.1.0
 */
export const make: (
  options: PushOptions
) => Effect.Effect<Plan, CliError.CliError, FileSystem.FileSystem> = Effect.fn("PushPlan.make")(function*(
  options: PushOptions
) {
  const collected = yield* SourceDirectory.collect(options.directory, {
    ...(options.outsideLinks === undefined ? {} : { outsideLinks: options.outsideLinks }),
    overLimit: options.overLimit === "zip" ? "select" : "fail"
  })
  const actorJson = yield* readActorJson(collected.directory)
  const fromFile = Option.flatMap(actorJson, (json) => Option.fromNullable(json.version))

  let versionNumber: VersionNumber.VersionNumber
  let versionSource: Plan["versionSource"]
  if (Option.isSome(options.versionNumber)) {
    versionNumber = yield* decodeVersionNumber(options.versionNumber.value, "--version-number")
    versionSource = "--version-number"
  } else if (Option.isSome(fromFile)) {
    versionNumber = yield* decodeVersionNumber(String(fromFile.value), ".actor/actor.json")
    versionSource = ".actor/actor.json"
  } else {
    versionNumber = VersionNumber.VersionNumber.make("0.0")
    versionSource = "default"
  }

  const buildTag = Option.getOrElse(
    Option.orElse(options.buildTag, () => Option.flatMap(actorJson, (json) => Option.fromNullable(json.buildTag))),
    () => "latest"
  )

  const declared = Option.flatMap(actorJson, (json) => Option.fromNullable(json.environmentVariables))
  let envVars: Array<EnvVar.EnvVarRequest> | undefined
  const missingSecrets: Array<string> = []
  if (Option.isSome(declared)) {
    envVars = []
    const entries = Object.entries(declared.value)
    const needsSecrets = entries.some(([, value]) => typeof value === "string" && value.startsWith("@"))
    const secrets = needsSecrets ? yield* readSecrets : new Map<string, string>()
    for (const [name, raw] of entries) {
      const value = String(raw)
      if (value.startsWith("@")) {
        const secretName = value.slice(1)
        const secret = secrets.get(secretName)
        if (secret === undefined) {
          missingSecrets.push(secretName)
          continue
        }
        envVars.push({ name: name as EnvVar.EnvVarName, value: secret, isSecret: true })
      } else {
        envVars.push({ name: name as EnvVar.EnvVarName, value, isSecret: false })
      }
    }
    if (missingSecrets.length > 0 && !options.allowMissingSecrets) {
      return yield* new CliError.InvalidInput({
        message: `secret${missingSecrets.length > 1 ? "s" : ""} ${
          missingSecrets.map((s) => `@${s}`).join(", ")
        } used in .actor/actor.json ${missingSecrets.length > 1 ? "are" : "is"} not in ~/.apify/secrets.json`,
        hint: "add it with `apify secrets add NAME VALUE`, or pass --allow-missing-secrets to push without it"
      })
    }
  }

  if (collected.large === undefined) yield* checkInlineLimit(collected)

  const settings = { buildTag, ...(envVars === undefined ? {} : { envVars }) }
  const body = VersionRequest.fromFiles(versionNumber, collected.sourceFiles, settings)
  // The files are valid by construction (named by the walk, each once; within the limit, see
  // `SourceDirectory.collect`): the rest is checked here, without encoding every file once more
  // than the client does when it sends them.
  const checked = Schema.encodeEither(VersionRequest.CreateVersion)(
    VersionRequest.fromFiles(versionNumber, [], settings)
  )
  if (Either.isLeft(checked)) {
    return yield* new CliError.InvalidInput({
      message: `the version to push is not valid: ${Issue.summary(checked.left)}`,
      hint: "fix .actor/actor.json or the directory"
    })
  }
  return { versionNumber, versionSource, buildTag, envVars, missingSecrets, collected, body } satisfies Plan
})

/**
 * The body with every secret value replaced by `********`, for `--dry-run`.
 *
 * @since 0.1.0
 */
export const masked = (plan: Plan): unknown => {
  const encoded = Schema.encodeSync(VersionRequest.CreateVersion)(plan.body) as Record<string, unknown>
  if (plan.envVars === undefined) return encoded
  return {
    ...encoded,
    envVars: plan.envVars.map((v) => v.isSecret === true ? { ...v, value: mask } : v)
  }
}
