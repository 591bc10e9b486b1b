/**
 * Environment variables of an Actor version: names, values, and the shapes the API sends
 * and accepts.
 *
 * @since 0.1.0
 */
import * as Arbitrary from "effect/Arbitrary"
import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"
import * as Limits from "./Limits.js"
import * as RequestBody from "./RequestBody.js"

/**
 * A branded environment variable name: 1 to 100 characters, no `=`, and not `.` or `..` (a URL
 * path cannot address those: URL parsers resolve them as dot segments).
 *
 * @since 0.1.0
 */
export const EnvVarName = Schema.String.pipe(
  Schema.filter((s) => {
    if (s.length === 0) return "env var name must not be empty"
    if (s.length > Limits.maxEnvVarNameLength) {
      return `env var name must be at most ${Limits.maxEnvVarNameLength} characters, got ${s.length}`
    }
    if (s.includes("=")) return `env var name must not contain "=", got ${JSON.stringify(s)}`
    if (s === "." || s === "..") {
      return `env var name must not be "." or "..": such a name cannot be addressed in a URL path`
    }
    return true
  }),
  Schema.brand("EnvVarName"),
  Schema.annotations({
    identifier: "EnvVarName",
    title: "env var name",
    arbitrary: () => (fc) =>
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,30}$/).map((s) => s as string & Brand.Brand<"EnvVarName">)
  })
)

/**
 * The decoded type of `EnvVarName`.
 *
 * @since 0.1.0
 */
export type EnvVarName = typeof EnvVarName.Type

/**
 * An environment variable value: at most 50,000 characters.
 *
 * @since 0.1.0
 */
export const EnvVarValue = Schema.String.pipe(
  Schema.filter((s) =>
    s.length <= Limits.maxEnvVarValueLength ||
    `env var value must be at most ${Limits.maxEnvVarValueLength} characters, got ${s.length}`
  ),
  Schema.annotations({
    identifier: "EnvVarValue",
    title: "env var value",
    arbitrary: () => (fc) => fc.string({ maxLength: 64 })
  })
)

/**
 * An environment variable as the API returns it. The value of a secret is never returned,
 * so `value` is absent when `isSecret` is true.
 *
 * @since 0.1.0
 */
export class EnvVar extends Schema.Class<EnvVar>("EnvVar")({
  name: Schema.String,
  value: Schema.optionalWith(Schema.String, { nullable: true, exact: true }),
  isSecret: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false })
}) {}

/**
 * The body that creates or updates an environment variable: a name, a value, and whether
 * the value is secret.
 *
 * @example
 * ```ts
 * import { EnvVar } from "@effect-apify/domain"
 *
 * const plain = EnvVar.plain(EnvVar.EnvVarName.make("LOG_LEVEL"), "debug")
 * const secret = EnvVar.secret(EnvVar.EnvVarName.make("API_KEY"), "s3cr3t")
 * ```
 *
 * @since 0.1.0
 */
export const EnvVarRequest = Schema.Struct({
  name: EnvVarName,
  value: EnvVarValue,
  isSecret: Schema.optionalWith(Schema.Boolean, { exact: true })
}).pipe(Schema.filter(RequestBody.problem), Schema.annotations({ identifier: "EnvVarRequest" }))

/**
 * The decoded type of `EnvVarRequest`.
 *
 * @since 0.1.0
 */
export type EnvVarRequest = typeof EnvVarRequest.Type

/**
 * A plain (visible) environment variable request.
 *
 * @since 0.1.0
 */
export const plain = (name: EnvVarName, value: string): EnvVarRequest => ({ name, value, isSecret: false })

/**
 * A secret environment variable request: Apify stores the value encrypted and never returns it.
 *
 * @since 0.1.0
 */
export const secret = (name: EnvVarName, value: string): EnvVarRequest => ({ name, value, isSecret: true })

/**
 * The list of environment variables a version carries, as sent: at most 100, names unique.
 *
 * @since 0.1.0
 */
export const EnvVarRequestList = Schema.Array(EnvVarRequest).pipe(
  Schema.filter((list) => {
    if (list.length > Limits.maxEnvVarsPerVersion) {
      return `envVars must hold at most ${Limits.maxEnvVarsPerVersion} variables, got ${list.length}`
    }
    const seen = new Set<string>()
    for (const envVar of list) {
      if (seen.has(envVar.name)) return `envVars must not repeat a name, ${JSON.stringify(envVar.name)} appears twice`
      seen.add(envVar.name)
    }
    return true
  }),
  Schema.annotations({
    identifier: "EnvVarRequestList",
    arbitrary: () => (fc) =>
      fc.uniqueArray(Arbitrary.make(EnvVarRequest), { selector: (envVar) => envVar.name, maxLength: 8 })
  })
)
