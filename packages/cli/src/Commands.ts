/**
 * The handlers of the commands that talk to the API. `Cli` imports this module on demand, so
 * that `--help` and usage errors never load the client or the HTTP stack.
 *
 * Each handler names what it does (for the error line), checks its arguments before any
 * request, runs, prints, and on failure prints the report and ends with its exit code.
 *
 * @since 0.1.0
 */
import { ActorEnvVars, Actors, ActorVersions, ApifyError } from "@effect-apify/api"
import { ActorId, ActorName, EnvVar, Issue, Limits, VersionNumber, type VersionRequest } from "@effect-apify/domain"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Cli from "./Cli.js"
import * as CliError from "./CliError.js"
import * as Credentials from "./Credentials.js"
import * as Format from "./Format.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"
import * as PushPlan from "./PushPlan.js"
import * as Remote from "./Remote.js"
import * as Report from "./Report.js"
import * as SourceDirectory from "./SourceDirectory.js"
import * as TerminalText from "./TerminalText.js"

type Failure = ApifyError.ApifyError | CliError.CliError

const isCliError = (error: Failure): error is CliError.CliError =>
  error._tag === "InvalidInput" || error._tag === "LocalFileError"

// The values of `--secret-env NAME=VALUE` (the whole text when it has no "="): never printed,
// even when the server echoes the request body in an error.
const secretValuesOf = (flags: Cli.CommonFlags): ReadonlyArray<string> => {
  const items: unknown = (flags as { readonly secretEnv?: unknown }).secretEnv
  if (!Array.isArray(items)) return []
  return items.filter((item): item is string => typeof item === "string").map((item) =>
    item.includes("=") ? item.slice(item.indexOf("=") + 1) : item
  )
}

/**
 * Runs a command body with the API services, reporting any failure on stderr and ending
 * with its exit code.
 *
 * @since 0.1.0
 */
export const run = <R extends Remote.Services | FileSystem.FileSystem>(
  flags: Cli.CommonFlags,
  what: string,
  body: Effect.Effect<void, Failure, R>,
  options: { readonly notFoundHint?: string; readonly secrets?: ReadonlyArray<string> } = {}
): Effect.Effect<void, CliError.Exit, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const secrets = [...secretValuesOf(flags), ...(options.secrets ?? [])]
    const report = (error: Failure, credentials?: Credentials.Credentials) => {
      const context = { what, verbose: flags.verbose, credentials, notFoundHint: options.notFoundHint, secrets }
      const out = isCliError(error) ? Report.cliError(error, context) : Report.apiError(error, context)
      return Console.error(out.lines.join("\n")).pipe(
        Effect.zipRight(Effect.fail(new CliError.Exit({ code: out.exitCode })))
      )
    }
    const resolved = yield* Effect.either(Credentials.resolve(flags))
    if (resolved._tag === "Left") return yield* report(resolved.left)
    const credentials = resolved.right
    return yield* body.pipe(
      Effect.provide(Remote.layer(credentials, flags)),
      Progress.withRetryCountdown,
      Effect.catchAll((error) => report(error, credentials))
    )
  })

/**
 * Runs a command body that needs no API (dry runs), reporting failures the same way.
 *
 * @since 0.1.0
 */
export const runLocal = <R>(
  flags: Pick<Cli.CommonFlags, "verbose">,
  what: string,
  body: Effect.Effect<void, CliError.CliError, R>
): Effect.Effect<void, CliError.Exit, R> =>
  Effect.catchAll(body, (error) => {
    const out = Report.cliError(error, { what, verbose: flags.verbose })
    return Console.error(out.lines.join("\n")).pipe(
      Effect.zipRight(Effect.fail(new CliError.Exit({ code: out.exitCode })))
    )
  })

// ---------------------------------------------------------------------------
// argument parsing
// ---------------------------------------------------------------------------

const decodeArg = <A, I>(schema: Schema.Schema<A, I>, value: unknown, what: string, hint: string) =>
  Schema.decodeUnknown(schema)(value).pipe(
    Effect.mapError((error) =>
      new CliError.InvalidInput({
        message: `${what} ${JSON.stringify(value)} is not valid: ${Issue.summary(error)}`,
        hint
      })
    )
  )

/**
 * Parses an Actor argument (`username~name`, `username/name` or an ID).
 *
 * @since 0.1.0
 */
export const parseActor = (input: string) =>
  decodeArg(ActorId.ActorId, input, "Actor", "write the Actor as username~actor-name, username/actor-name or its ID")

/**
 * Parses a version number argument.
 *
 * @since 0.1.0
 */
export const parseVersion = (input: string) =>
  Schema.decodeUnknown(VersionNumber.VersionNumber)(input).pipe(
    Effect.mapError(() =>
      new CliError.InvalidInput({
        message: `version number ${JSON.stringify(input)} is not valid`,
        hint: "a version number is MAJOR.MINOR, each part 0-99 without leading zeros, e.g. 0.1 or 1.12"
      })
    )
  )

const parseEnvName = (input: string) =>
  decodeArg(EnvVar.EnvVarName, input, "env var name", "a name has 1-100 characters and no \"=\"")

/**
 * Parses `NAME=VALUE` (split at the first `=`).
 *
 * @since 0.1.0
 */
export const parseAssignment = (input: string, option: string) =>
  Effect.gen(function*() {
    const at = input.indexOf("=")
    if (at <= 0) {
      return yield* new CliError.InvalidInput({
        // The input is not echoed: it may be a secret value.
        message: `${option} expects NAME=VALUE, ${at === 0 ? "but the name is empty" : "but there is no \"=\""}`,
        hint: "write the name, an equals sign and the value, e.g. LOG_LEVEL=debug"
      })
    }
    const name = yield* parseEnvName(input.slice(0, at))
    const value = input.slice(at + 1)
    if (value.length > Limits.maxEnvVarValueLength) {
      return yield* new CliError.InvalidInput({
        message:
          `the value of ${name} has ${value.length} characters, over the limit of ${Limits.maxEnvVarValueLength}`,
        hint: "shorten the value"
      })
    }
    return { name, value }
  })

const notFoundVersions = (actor: string) =>
  `check the Actor, and list its versions with \`effect-apify versions list ${actor}\``

// ---------------------------------------------------------------------------
// actors
// ---------------------------------------------------------------------------

/**
 * `actors create`.
 *
 * @since 0.1.0
 */
export const actorsCreate = (
  args: Cli.CommonFlags & {
    readonly name: string
    readonly title: Option.Option<string>
    readonly description: Option.Option<string>
    readonly isPublic: boolean
  }
) =>
  run(
    args,
    `create Actor ${args.name}`,
    Effect.gen(function*() {
      const name = yield* decodeArg(
        ActorName.ActorName,
        args.name,
        "Actor name",
        "use 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit"
      )
      const actors = yield* Actors.Actors
      const actor = yield* actors.create({
        name,
        ...Option.match(args.title, { onNone: () => ({}), onSome: (title) => ({ title }) }),
        ...Option.match(args.description, { onNone: () => ({}), onSome: (description) => ({ description }) }),
        ...(args.isPublic ? { isPublic: true } : {})
      })
      yield* Output.emit(
        args.json,
        Output.actorRecord(actor),
        () => `Created Actor ${actor.fullName} (${actor.id}).\n\n${Output.actorDetails(actor)}`
      )
    })
  )

/**
 * `actors list`: one page; the human view says how to get the next one.
 *
 * @since 0.1.0
 */
export const actorsList = (
  args: Cli.CommonFlags & {
    readonly my: boolean
    readonly offset: Option.Option<number>
    readonly limit: Option.Option<number>
    readonly desc: boolean
  }
) =>
  run(
    args,
    "list Actors",
    Effect.gen(function*() {
      const actors = yield* Actors.Actors
      const page = yield* actors.list({
        my: args.my,
        desc: args.desc,
        offset: Option.getOrUndefined(args.offset),
        limit: Option.getOrElse(args.limit, () => 100)
      })
      yield* Output.emit(args.json, page.items.map(Output.actorListRecord), () => Output.actorsTable(page))
    })
  )

/**
 * `actors get`.
 *
 * @since 0.1.0
 */
export const actorsGet = (args: Cli.CommonFlags & { readonly actor: string }) =>
  run(
    args,
    `get Actor ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const actors = yield* Actors.Actors
      const actor = yield* actors.get(actorId)
      yield* Output.emit(args.json, Output.actorRecord(actor), () => Output.actorDetails(actor))
    })
  )

/**
 * `actors delete`.
 *
 * @since 0.1.0
 */
export const actorsDelete = (args: Cli.CommonFlags & { readonly actor: string }) =>
  run(
    args,
    `delete Actor ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const actors = yield* Actors.Actors
      yield* actors.delete(actorId)
      yield* Output.say(args.json, `Deleted Actor ${actorId}.`)
    })
  )

// ---------------------------------------------------------------------------
// versions
// ---------------------------------------------------------------------------

/**
 * `versions list`.
 *
 * @since 0.1.0
 */
export const versionsList = (args: Cli.CommonFlags & { readonly actor: string }) =>
  run(
    args,
    `list versions of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versions = yield* ActorVersions.ActorVersions
      const list = yield* versions.list(actorId)
      yield* Output.emit(args.json, list.map(Output.versionRecord), () => Output.versionsTable(list))
    })
  )

/**
 * `versions get`.
 *
 * @since 0.1.0
 */
export const versionsGet = (args: Cli.CommonFlags & { readonly actor: string; readonly version: string }) =>
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

const envVarsFrom = (flags: Cli.SourceFlags) =>
  Effect.gen(function*() {
    if (flags.env.length === 0 && flags.secretEnv.length === 0) return undefined
    const out: Array<EnvVar.EnvVarRequest> = []
    for (const item of flags.env) {
      const { name, value } = yield* parseAssignment(item, "--env")
      out.push(EnvVar.plain(name, value))
    }
    for (const item of flags.secretEnv) {
      const { name, value } = yield* parseAssignment(item, "--secret-env")
      out.push(EnvVar.secret(name, value))
    }
    return out
  })

/** Prints one warning line per entry the walk skipped (outside links, FIFOs, dangling links). */
const warnSkipped = (collected: SourceDirectory.Collected) =>
  Effect.forEach(collected.skipped, (s) => Console.error(`Warning: skipped ${s.name}: ${s.reason}.`), { discard: true })

const inlineFiles = (directory: string) => Effect.tap(SourceDirectory.collect(directory), warnSkipped)

type Source =
  | { readonly sourceType: "GIT_REPO"; readonly gitRepoUrl: string }
  | { readonly sourceType: "TARBALL"; readonly tarballUrl: string }
  | { readonly sourceType: "GITHUB_GIST"; readonly gitHubGistUrl: string }
  | {
    readonly sourceType: "SOURCE_FILES"
    readonly sourceFiles: SourceDirectory.Collected["sourceFiles"]
  }

const sourceFrom = (flags: Cli.SourceFlags, required: boolean) =>
  Effect.gen(function*() {
    const given: Array<readonly ["--git-repo" | "--tarball" | "--gist" | "--source-dir", string]> = []
    if (Option.isSome(flags.gitRepo)) given.push(["--git-repo", flags.gitRepo.value])
    if (Option.isSome(flags.tarball)) given.push(["--tarball", flags.tarball.value])
    if (Option.isSome(flags.gist)) given.push(["--gist", flags.gist.value])
    if (Option.isSome(flags.sourceDir)) given.push(["--source-dir", flags.sourceDir.value])
    if (given.length > 1) {
      return yield* new CliError.InvalidInput({
        message: `give one source, not ${given.map(([flag]) => flag).join(" and ")}`,
        hint: "a version has one source: --git-repo, --tarball, --gist or --source-dir"
      })
    }
    const first = given[0]
    if (first === undefined) {
      if (!required) return undefined
      return yield* new CliError.InvalidInput({
        message: "no source given",
        hint: "give one of --git-repo URL, --tarball URL, --gist URL or --source-dir DIR"
      })
    }
    const [flag, value] = first
    switch (flag) {
      case "--git-repo":
        return { sourceType: "GIT_REPO", gitRepoUrl: value } satisfies Source
      case "--tarball":
        return { sourceType: "TARBALL", tarballUrl: value } satisfies Source
      case "--gist":
        return { sourceType: "GITHUB_GIST", gitHubGistUrl: value } satisfies Source
      case "--source-dir": {
        const collected = yield* inlineFiles(value)
        return { sourceType: "SOURCE_FILES", sourceFiles: collected.sourceFiles } satisfies Source
      }
    }
  })

const settingsFrom = (flags: Cli.SourceFlags) =>
  Effect.flatMap(envVarsFrom(flags), (envVars) =>
    flags.applyEnvVarsToBuild && flags.noApplyEnvVarsToBuild
      ? Effect.fail(
        new CliError.InvalidInput({
          message: "--apply-env-vars-to-build and --no-apply-env-vars-to-build contradict each other",
          hint: "give one of them"
        })
      )
      : Effect.succeed({
        ...(envVars === undefined ? {} : { envVars }),
        ...Option.match(flags.buildTag, { onNone: () => ({}), onSome: (buildTag) => ({ buildTag }) }),
        ...(flags.applyEnvVarsToBuild ? { applyEnvVarsToBuild: true } : {}),
        ...(flags.noApplyEnvVarsToBuild ? { applyEnvVarsToBuild: false } : {})
      }))

const sourceLabel = (source: Source | undefined): string => {
  if (source === undefined) return ""
  switch (source.sourceType) {
    case "GIT_REPO":
      return ` from ${source.gitRepoUrl}`
    case "TARBALL":
      return ` from ${source.tarballUrl}`
    case "GITHUB_GIST":
      return ` from ${source.gitHubGistUrl}`
    case "SOURCE_FILES":
      return ` from ${Format.count(source.sourceFiles.filter((f) => "content" in f).length, "file")}`
  }
}

/**
 * `versions create`.
 *
 * @since 0.1.0
 */
export const versionsCreate = (
  args: Cli.CommonFlags & Cli.SourceFlags & { readonly actor: string; readonly version: string }
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
  args: Cli.CommonFlags & Cli.SourceFlags & {
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
export const versionsDelete = (args: Cli.CommonFlags & { readonly actor: string; readonly version: string }) =>
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
 * `versions push`: creates or updates a version from a local directory.
 *
 * @since 0.1.0
 */
export const versionsPush = (
  args: Cli.CommonFlags & {
    readonly actor: string
    readonly directory: Option.Option<string>
    readonly versionNumber: Option.Option<string>
    readonly buildTag: Option.Option<string>
    readonly dryRun: boolean
    readonly allowMissingSecrets: boolean
    readonly refuseOutsideLinks: boolean
  }
) => {
  const directory = Option.getOrElse(args.directory, () => ".")
  const what = `push ${directory} to ${args.actor}`
  const plan = Effect.gen(function*() {
    const actorId = yield* parseActor(args.actor)
    const plan = yield* PushPlan.make({
      directory,
      versionNumber: args.versionNumber,
      buildTag: args.buildTag,
      allowMissingSecrets: args.allowMissingSecrets,
      outsideLinks: args.refuseOutsideLinks ? "refuse" : "skip"
    })
    yield* warnSkipped(plan.collected)
    if (plan.missingSecrets.length > 0) {
      yield* Console.error(
        `Warning: secret${plan.missingSecrets.length > 1 ? "s" : ""} ${
          plan.missingSecrets.map((s) => `@${s}`).join(", ")
        } not found in ~/.apify/secrets.json; pushing without ${plan.missingSecrets.length > 1 ? "them" : "it"}.`
      )
    }
    return { actorId, plan }
  })
  if (args.dryRun) {
    return runLocal(
      args,
      what,
      Effect.flatMap(plan, ({ actorId, plan }) =>
        Output.emit(
          args.json,
          plan.collected.skipped.length === 0
            ? PushPlan.masked(plan)
            : { ...(PushPlan.masked(plan) as object), skipped: plan.collected.skipped },
          () =>
            `Dry run: would push to version ${plan.versionNumber} of ${actorId} (nothing sent).\n\n${planText(plan)}`
        ))
    )
  }
  return run(
    args,
    what,
    Effect.gen(function*() {
      const { actorId, plan: decided } = yield* plan
      const versions = yield* ActorVersions.ActorVersions
      const size = Format.bytes(decided.collected.inlineSize)
      const count = Format.count(decided.collected.entries.length, "file")
      // Update first (404: create): asking whether the version exists would download all of
      // its files only to throw them away.
      const [updated, version] = yield* Progress.withLine(
        `uploading ${count} (${size}) to version ${decided.versionNumber}`,
        createOrUpdate({
          exists: true,
          create: versions.create(actorId, decided.body),
          update: versions.update(actorId, decided.versionNumber, decided.body),
          alreadyExists: "version-already-exists"
        })
      )
      yield* Output.emit(
        args.json,
        Output.versionRecord(version),
        () =>
          `${
            updated ? "Updated" : "Created"
          } version ${version.versionNumber} of ${actorId}: ${count}, ${size}, build tag ${decided.buildTag}${
            decided.envVars === undefined ? "" : `, ${Format.count(decided.envVars.length, "env var")}`
          }.`
      )
    })
  )
}

// ---------------------------------------------------------------------------
// env
// ---------------------------------------------------------------------------

/**
 * Creates, or updates when it exists, converging when another process creates or deletes the
 * same thing in between: "already exists" on create falls back to update, 404 on update falls
 * back to create, at most 3 times. Gives whether it updated, and the result.
 *
 * @since 0.1.0
 */
export const createOrUpdate = <A, E, R>(options: {
  readonly exists: boolean
  readonly create: Effect.Effect<A, E, R>
  readonly update: Effect.Effect<A, E, R>
  /** The Apify error type of "already exists", e.g. `env-var-already-exists`. */
  readonly alreadyExists: string
}): Effect.Effect<readonly [boolean, A], E, R> => {
  const attempt = (exists: boolean, rounds: number): Effect.Effect<readonly [boolean, A], E, R> =>
    exists
      ? options.update.pipe(
        Effect.map((a) => [true, a] as const),
        Effect.catchIf((e) => rounds > 0 && ApifyError.isApifyError(e) && e._tag === "NotFound", () =>
          attempt(false, rounds - 1))
      )
      : options.create.pipe(
        Effect.map((a) =>
          [false, a] as const
        ),
        Effect.catchIf(
          (e) => rounds > 0 && ApifyError.hasType(e, options.alreadyExists),
          () => attempt(true, rounds - 1)
        )
      )
  return attempt(options.exists, 3)
}

/**
 * `env list`.
 *
 * @since 0.1.0
 */
export const envList = (args: Cli.CommonFlags & { readonly actor: string; readonly version: string }) =>
  run(
    args,
    `list env vars of version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const envVars = yield* ActorEnvVars.ActorEnvVars
      const list = yield* envVars.list(actorId, versionNumber)
      yield* Output.emit(args.json, list.map(Output.envVarRecord), () => Output.envVarsTable(list))
    }),
    { notFoundHint: notFoundVersions(args.actor) }
  )

/**
 * `env get`.
 *
 * @since 0.1.0
 */
export const envGet = (
  args: Cli.CommonFlags & { readonly actor: string; readonly version: string; readonly name: string }
) =>
  run(
    args,
    `get env var ${args.name} of version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const name = yield* parseEnvName(args.name)
      const envVars = yield* ActorEnvVars.ActorEnvVars
      const envVar = yield* envVars.get(actorId, versionNumber, name)
      // A secret has no value to print: a script capturing stdout must not take a note for it.
      if (envVar.isSecret && !args.json) {
        return yield* new CliError.InvalidInput({
          message: `${envVar.name} is a secret; its value is never shown`,
          hint:
            `the API does not return secret values; change it with \`effect-apify env set ${args.actor} ${args.version} ${envVar.name}=VALUE --secret\``
        })
      }
      yield* Output.emit(args.json, Output.envVarRecord(envVar), () =>
        `${TerminalText.escape(envVar.name)}=${TerminalText.escape(envVar.value ?? "")}`)
    }),
    { notFoundHint: `list the variables with \`effect-apify env list ${args.actor} ${args.version}\`` }
  )

/**
 * `env set`: creates the variable, or changes it when it exists.
 *
 * @since 0.1.0
 */
export const envSet = (
  args: Cli.CommonFlags & {
    readonly actor: string
    readonly version: string
    readonly assignment: string
    readonly secret: boolean
  }
) => {
  // Without "=" the argument may be a value typed alone (`env set A 0.1 s3cr3t --secret`): not echoed.
  const at = args.assignment.indexOf("=")
  const what = at > 0 ? `set env var ${args.assignment.slice(0, at)}` : "set an env var"
  const secrets = args.secret ? [at >= 0 ? args.assignment.slice(at + 1) : args.assignment] : []
  return run(
    args,
    `${what} of version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const assignment = yield* parseAssignment(args.assignment, "NAME=VALUE")
      const body = args.secret
        ? EnvVar.secret(assignment.name, assignment.value)
        : EnvVar.plain(assignment.name, assignment.value)
      const envVars = yield* ActorEnvVars.ActorEnvVars
      const existing = yield* envVars.find(actorId, versionNumber, assignment.name)
      const [changed, envVar] = yield* createOrUpdate({
        exists: Option.isSome(existing),
        create: envVars.create(actorId, versionNumber, body),
        update: envVars.update(actorId, versionNumber, assignment.name, body),
        alreadyExists: "env-var-already-exists"
      })
      yield* Output.emit(
        args.json,
        Output.envVarRecord(envVar),
        () =>
          `${changed ? "Changed" : "Set"} ${TerminalText.escape(envVar.name)}${
            envVar.isSecret ? " (secret)" : `=${TerminalText.escape(envVar.value ?? "")}`
          } on version ${versionNumber} of ${actorId}.`
      )
    }),
    { notFoundHint: notFoundVersions(args.actor), secrets }
  )
}

/**
 * `env unset`.
 *
 * @since 0.1.0
 */
export const envUnset = (
  args: Cli.CommonFlags & { readonly actor: string; readonly version: string; readonly name: string }
) =>
  run(
    args,
    `unset env var ${args.name} of version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const name = yield* parseEnvName(args.name)
      const envVars = yield* ActorEnvVars.ActorEnvVars
      yield* envVars.delete(actorId, versionNumber, name)
      yield* Output.say(args.json, `Unset ${name} on version ${versionNumber} of ${actorId}.`)
    }),
    { notFoundHint: `list the variables with \`effect-apify env list ${args.actor} ${args.version}\`` }
  )
