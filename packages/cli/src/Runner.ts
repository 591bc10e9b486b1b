/**
 * Runs a handler's body: resolves the credentials, provides the API services (`Remote`),
 * shows the retry countdown, and on failure prints the report (`Report`) on stderr and ends
 * with its exit code (`CliError.Exit`).
 *
 * @since 0.1.0
 */
import type { ApifyError } from "@effect-apify/api"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as CliError from "./CliError.js"
import * as Credentials from "./Credentials.js"
import type * as Flags from "./Flags.js"
import * as Progress from "./Progress.js"
import * as Remote from "./Remote.js"
import * as Report from "./Report.js"

type Failure = ApifyError.ApifyError | CliError.CliError

const isCliError = (error: Failure): error is CliError.CliError =>
  error._tag === "InvalidInput" || error._tag === "LocalFileError"

// The values of `--secret-env NAME=VALUE` (the whole text when it has no "="): never printed,
// even when the server echoes the request body in an error.
const secretValuesOf = (flags: Flags.CommonFlags): ReadonlyArray<string> => {
  const items: unknown = (flags as { readonly secretEnv?: unknown }).secretEnv
  if (!Array.isArray(items)) return []
  return items.filter((item): item is string => typeof item === "string").map((item) =>
    item.includes("=") ? item.slice(item.indexOf("=") + 1) : item
  )
}

/**
 * Runs a command body with the API services, reporting any failure on stderr and ending
 * with its exit code. `what` names what was being done; as an effect, it is read when a
 * failure is reported (a command that learnt more on the way).
 *
 * @since 0.1.0
 */
export const run = <R extends Remote.Services | FileSystem.FileSystem>(
  flags: Flags.CommonFlags,
  what: string | Effect.Effect<string>,
  body: Effect.Effect<void, Failure, R>,
  options: { readonly notFoundHint?: string; readonly secrets?: ReadonlyArray<string> } = {}
): Effect.Effect<void, CliError.Exit, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const secrets = [...secretValuesOf(flags), ...(options.secrets ?? [])]
    const report = (error: Failure, credentials?: Credentials.Credentials) =>
      Effect.flatMap(typeof what === "string" ? Effect.succeed(what) : what, (what) => {
        const context = { what, verbose: flags.verbose, credentials, notFoundHint: options.notFoundHint, secrets }
        const out = isCliError(error) ? Report.cliError(error, context) : Report.apiError(error, context)
        return Console.error(out.lines.join("\n")).pipe(
          Effect.zipRight(Effect.fail(new CliError.Exit({ code: out.exitCode })))
        )
      })
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
  flags: Pick<Flags.CommonFlags, "verbose">,
  what: string,
  body: Effect.Effect<void, CliError.CliError, R>
): Effect.Effect<void, CliError.Exit, R> =>
  Effect.catchAll(body, (error) => {
    const out = Report.cliError(error, { what, verbose: flags.verbose })
    return Console.error(out.lines.join("\n")).pipe(
      Effect.zipRight(Effect.fail(new CliError.Exit({ code: out.exitCode })))
    )
  })
