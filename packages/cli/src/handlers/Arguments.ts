/**
 * The arguments of the commands, checked before any request: Actor, version number, env var
 * name, `NAME=VALUE`. Each failure names the argument and says how to write it.
 *
 * @since 0.1.0
 */
import { ActorId, EnvVar, Issue, Limits, VersionNumber } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as CliError from "../CliError.js"

/**
 * Decodes an argument with `schema`, failing with what is wrong and `hint`.
 *
 * @since 0.1.0
 */
export const decodeArg = <A, I>(schema: Schema.Schema<A, I>, value: unknown, what: string, hint: string) =>
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

/**
 * Parses an env var name argument.
 *
 * @since 0.1.0
 */
export const parseEnvName = (input: string) =>
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

/**
 * The hint for a 404 of a version: check the Actor, list its versions.
 *
 * @since 0.1.0
 */
export const notFoundVersions = (actor: string) =>
  `check the Actor, and list its versions with \`effect-apify versions list ${actor}\``
