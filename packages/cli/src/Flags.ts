/**
 * The options more than one command takes, and their parsed values: the common options of
 * every leaf command and the source options of `versions create` and `versions update`. A
 * leaf module: the command definitions and the handlers import it, it imports neither.
 *
 * @since 0.1.0
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"

/**
 * The longest `--timeout`, in seconds: 24 hours. (A larger number would overflow the timer and
 * mean no timeout at all.)
 *
 * @since 0.1.0
 */
export const maxTimeoutSeconds = 24 * 60 * 60

/**
 * The shortest `--timeout`, in seconds: 1 ms.
 *
 * @since 0.1.0
 */
export const minTimeoutSeconds = 0.001

/**
 * The most `--max-retries`: 100 (with the default waits, far past any rate limit window).
 *
 * @since 0.1.0
 */
export const maxRetriesLimit = 100

// Digits with an optional fraction: no sign, exponent, hex, Infinity or spaces.
const plainDecimal = /^(?:\d+(?:\.\d*)?|\.\d+)$/

/**
 * Refuses an option's value with a usage error saying why.
 *
 * @since 0.1.0
 */
export const invalid = (message: string): Effect.Effect<never, ValidationError.ValidationError> =>
  Effect.fail(ValidationError.invalidValue(HelpDoc.p(message)))

/**
 * An option whose value is a whole number from `min` to `max`, written in plain decimal digits
 * (no sign, exponent, hex or fraction): "--limit must be a whole number, got 'abc'".
 *
 * @since 0.1.0
 */
export const wholeNumber = (name: string, min: number, max: number): Options.Options<number> =>
  Options.text(name).pipe(
    Options.withPseudoName("number"),
    Options.mapEffect((text) => {
      if (!/^\d+$/.test(text)) return invalid(`--${name} must be a whole number, got '${text}'`)
      const n = Number(text)
      return n >= min && n <= max ? Effect.succeed(n) : invalid(`--${name} must be ${min} to ${max}, got ${text}`)
    })
  )

/**
 * The options every leaf command takes after its arguments.
 *
 * @since 0.1.0
 */
export const commonOptions = {
  token: Options.text("token").pipe(
    Options.withAlias("t"),
    Options.withDescription("API token; else APIFY_TOKEN, else the token in ~/.apify/auth.json"),
    Options.optional
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("API base URL; else APIFY_API_BASE_URL, else https://api.apify.com"),
    Options.optional
  ),
  json: Options.boolean("json").pipe(
    Options.withAlias("j"),
    Options.withDescription(
      "print JSON on stdout and nothing else: the API's record (an array for lists); delete and unset print nothing"
    )
  ),
  timeout: Options.text("timeout").pipe(
    Options.withPseudoName("number"),
    Options.withDescription("time limit of one attempt of a request, in seconds (default 30)"),
    Options.mapEffect((text) => {
      const seconds = plainDecimal.test(text) ? Number(text) : Number.NaN
      return seconds >= minTimeoutSeconds && seconds <= maxTimeoutSeconds
        ? Effect.succeed(seconds)
        : invalid(
          `--timeout must be a plain decimal number of seconds from ${minTimeoutSeconds} to ${maxTimeoutSeconds} (24 h), got ${
            JSON.stringify(text)
          }`
        )
    }),
    Options.optional
  ),
  maxRetries: Options.text("max-retries").pipe(
    Options.withPseudoName("number"),
    Options.withDescription(
      "retry a rate-limited, failed or unanswered request at most N times (default 6; 0 = never)"
    ),
    Options.mapEffect((text) => {
      const count = /^\d+$/.test(text) ? Number(text) : Number.NaN
      return count >= 0 && count <= maxRetriesLimit
        ? Effect.succeed(count)
        : invalid(`--max-retries must be a whole number from 0 to ${maxRetriesLimit}, got ${JSON.stringify(text)}`)
    }),
    Options.optional
  ),
  verbose: Options.boolean("verbose").pipe(
    Options.withDescription("on error, also print the request line and Apify's error type")
  )
}

/**
 * The parsed common options.
 *
 * @since 0.1.0
 */
export interface CommonFlags {
  readonly token: Option.Option<string>
  readonly baseUrl: Option.Option<string>
  readonly json: boolean
  readonly timeout: Option.Option<number>
  readonly maxRetries: Option.Option<number>
  readonly verbose: boolean
}

/**
 * The source and settings options of `versions create` and `versions update`.
 *
 * @since 0.1.0
 */
export const sourceOptions = {
  gitRepo: Options.text("git-repo").pipe(
    Options.withDescription("build from a Git repository URL (may end in #branch:subdirectory)"),
    Options.optional
  ),
  tarball: Options.text("tarball").pipe(Options.withDescription("build from a tarball or ZIP URL"), Options.optional),
  gist: Options.text("gist").pipe(Options.withDescription("build from a GitHub Gist URL"), Options.optional),
  sourceDir: Options.directory("source-dir").pipe(
    Options.withDescription("send the files of a local directory inline (the push rules apply)"),
    Options.optional
  ),
  buildTag: Options.text("build-tag").pipe(
    Options.withAlias("b"),
    Options.withDescription("tag the build, e.g. latest"),
    Options.optional
  ),
  env: Options.text("env").pipe(
    Options.withDescription("NAME=VALUE environment variable; repeat for more (replaces the version's whole list)"),
    Options.repeated
  ),
  secretEnv: Options.text("secret-env").pipe(
    Options.withDescription("NAME=VALUE secret environment variable (stored encrypted, never shown); repeatable"),
    Options.repeated
  ),
  applyEnvVarsToBuild: Options.boolean("apply-env-vars-to-build").pipe(
    Options.withDescription("make the environment variables available at build time too")
  ),
  noApplyEnvVarsToBuild: Options.boolean("no-apply-env-vars-to-build").pipe(
    Options.withDescription("do not make the environment variables available at build time")
  )
}

/**
 * The parsed source and settings options of `versions create` and `versions update`.
 *
 * @since 0.1.0
 */
export interface SourceFlags {
  readonly gitRepo: Option.Option<string>
  readonly tarball: Option.Option<string>
  readonly gist: Option.Option<string>
  readonly sourceDir: Option.Option<string>
  readonly buildTag: Option.Option<string>
  readonly env: ReadonlyArray<string>
  readonly secretEnv: ReadonlyArray<string>
  readonly applyEnvVarsToBuild: boolean
  readonly noApplyEnvVarsToBuild: boolean
}
