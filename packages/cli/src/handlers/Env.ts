/**
 * The handlers of `env list`, `get`, `set` and `unset`.
 *
 * @since 0.1.0
 */
import { ActorEnvVars, ApifyError } from "@effect-apify/api"
import { EnvVar } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as CliError from "../CliError.js"
import type * as Flags from "../Flags.js"
import * as Output from "../Output.js"
import { run } from "../Runner.js"
import * as TerminalText from "../TerminalText.js"
import { notFoundVersions, parseActor, parseAssignment, parseEnvName, parseVersion } from "./Arguments.js"
import { createOrUpdate } from "./CreateOrUpdate.js"

/**
 * `env list`.
 *
 * @since 0.1.0
 */
export const envList = (args: Flags.CommonFlags & { readonly actor: string; readonly version: string }) =>
  run(
    args,
    `list env vars of version ${args.version} of ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const envVars = yield* ActorEnvVars.ActorEnvVars
      const list = yield* envVars.list(actorId, versionNumber)
      yield* Output.emitList(args.json, list.map(Output.envVarRecord), () =>
        list.length === 0
          ? { table: undefined, notice: "No environment variables." }
          : { table: Output.envVarsTable(list), notice: undefined })
    }),
    { notFoundHint: notFoundVersions(args.actor) }
  )

/**
 * `env get`.
 *
 * @since 0.1.0
 */
export const envGet = (
  args: Flags.CommonFlags & { readonly actor: string; readonly version: string; readonly name: string }
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
      yield* Output.emitValue(args.json, Output.envVarRecord(envVar), envVar.value ?? "")
    }),
    { notFoundHint: `list the variables with \`effect-apify env list ${args.actor} ${args.version}\`` }
  )

/**
 * `env set`: creates the variable, or changes it when it exists.
 *
 * @since 0.1.0
 */
export const envSet = (
  args: Flags.CommonFlags & {
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
        alreadyExists: ApifyError.Types.envVarAlreadyExists
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
  args: Flags.CommonFlags & { readonly actor: string; readonly version: string; readonly name: string }
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
