/**
 * Turns a failure into what the person at the terminal sees: one line on stderr naming what
 * failed, with a hint; with `--verbose`, a second line with the request and Apify's error
 * type. And the exit code, one per kind of failure:
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | server or transport failure (5xx, network, timeout, unreadable answer) |
 * | 2 | invalid input, refused locally or by the API (400, 413, 415), and usage errors |
 * | 3 | authentication or permission (401, a 403 that is not a conflict) |
 * | 4 | not found (404) |
 * | 5 | conflict: already exists, too few versions, cannot rename, name not unique |
 * | 6 | rate limited after all retries (429) |
 *
 * @since 0.1.0
 */
import type { ApifyError } from "@effect-apify/api"
import { Redaction } from "@effect-apify/domain"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as CliError from "./CliError.js"
import type * as Credentials from "./Credentials.js"
import * as TerminalText from "./TerminalText.js"

/**
 * The exit codes.
 *
 * @since 0.1.0
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  invalidInput: 2,
  auth: 3,
  notFound: 4,
  conflict: 5,
  rateLimited: 6
} as const

/**
 * Apify error types that mean "conflict" (exit code 5).
 *
 * @since 0.1.0
 */
export const conflictTypes: ReadonlySet<string> = new Set([
  "version-already-exists",
  "env-var-already-exists",
  "too-few-versions",
  "cannot-rename-env-var",
  "actor-name-not-unique"
])

/**
 * What to print and how to exit.
 *
 * @since 0.1.0
 */
export interface Report {
  readonly lines: ReadonlyArray<string>
  readonly exitCode: number
}

/**
 * Context for the wording of a report.
 *
 * @since 0.1.0
 */
export interface Context {
  /** What was being done, e.g. `get version 0.1 of janedoe~my-actor`. */
  readonly what: string
  readonly verbose: boolean
  readonly credentials?: Credentials.Credentials | undefined
  /** A hint for "not found", e.g. which command lists what exists. */
  readonly notFoundHint?: string | undefined
  /** Secret values of this command (e.g. `--secret-env`): replaced by `<redacted>` wherever they appear. */
  readonly secrets?: ReadonlyArray<string> | undefined
}

// Server text (messages, names, URLs) is escaped: no control character reaches the terminal.
// Secret values the server may echo back (a 400 that quotes the request body) and the token are
// removed first, by the client's rule (any form, any run of 8 characters): a second layer over
// the client's own, for the values only the command line knows.
const finish = (lines: ReadonlyArray<string>, context: Context): ReadonlyArray<string> => {
  const token = context.credentials === undefined ? Option.none() : context.credentials.token
  const scrub = Redaction.scrubber([
    ...(context.secrets ?? []),
    ...Option.toArray(Option.map(token, Redacted.value))
  ])
  return lines.map((line) => TerminalText.escape(scrub(line)))
}

const sentence = (text: string): string => {
  const trimmed = text.trim()
  return trimmed === "" || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

const attemptsText = (n: number): string => n === 0 ? "not sent" : n === 1 ? "1 attempt" : `${n} attempts`

const tokenHint = (credentials: Credentials.Credentials | undefined): string => {
  const how = "give a token with --token, the APIFY_TOKEN environment variable, or the \"token\" field of " +
    "~/.apify/auth.json (written by `apify login`)"
  if (credentials === undefined || credentials.tokenSource === "none") return `no token was given; ${how}`
  return `the token from ${credentials.tokenSource} was refused; ${how}`
}

const hintFor = (error: ApifyError.ApifyError, context: Context): string => {
  switch (error._tag) {
    case "Unauthorized":
      return tokenHint(context.credentials)
    case "Forbidden":
      switch (error.type) {
        case "version-already-exists":
          return "change it with `versions update` or `versions push`"
        case "env-var-already-exists":
          return "`env set` changes an existing variable"
        case "too-few-versions":
          return "an Actor keeps at least one version; `actors delete` removes the Actor"
        case "cannot-rename-env-var":
          return "unset the variable and set it under the new name"
        default:
          return "the token's user may not do this to this Actor; check the Actor and the token"
      }
    case "NotFound":
      return context.notFoundHint ??
        "check the Actor (its ID or username~actor-name) and the base URL"
    case "BadRequest":
      return error.type === "actor-name-not-unique"
        ? "choose another name, or use the existing Actor"
        : "check the arguments"
    case "PayloadTooLarge":
      return "send fewer or smaller files (.actorignore), or build from a Git repository or tarball"
    case "UnsupportedMediaType":
      return "the API did not accept the body's encoding; is --base-url an Apify API?"
    case "MethodNotAllowed":
      return "is --base-url an Apify API?"
    case "RateLimited":
      return "wait a moment and try again, or allow more retries with --max-retries"
    case "ServerError":
      return "try again later"
    case "TransportError":
      return error.reason === "Timeout"
        ? "the API did not answer in time; raise --timeout or try again"
        : error.reason === "InvalidUrl"
        ? "check --base-url or APIFY_API_BASE_URL"
        : `check the network and the base URL${
          context.credentials === undefined
            ? ""
            : ` ${context.credentials.baseUrl} (from ${context.credentials.baseUrlSource})`
        }`
    case "DecodeError":
      return "the answer did not look like the Apify API's; is --base-url right?"
    case "InvalidRequest":
      return "nothing was sent; fix the arguments"
  }
}

const bytesText = (n: number): string => `${n.toLocaleString("en-US")} bytes`

const problem = (error: ApifyError.ApifyError): string => {
  switch (error._tag) {
    case "TransportError":
      return error.reason === "Timeout"
        ? `no answer in time (${error.detail})`
        : `cannot reach the API: ${error.detail}`
    case "DecodeError":
      return `unreadable answer: ${error.detail}`
    case "InvalidRequest":
      return error.detail
    case "PayloadTooLarge": {
      const match = /limit: (\d+) bytes, actual length: (\d+) bytes/.exec(error.apifyMessage)
      const limit = error.limitBytes ?? (match ? Number(match[1]) : undefined)
      const actual = error.actualBytes ?? (match ? Number(match[2]) : undefined)
      if (limit !== undefined && actual !== undefined) {
        return `the request body was ${bytesText(actual)}, over the limit of ${bytesText(limit)}`
      }
      return error.apifyMessage === "" ? "the request body is too large" : error.apifyMessage
    }
    case "RateLimited":
      return `rate limited by the API (${attemptsText(error.attempts)})`
    case "ServerError":
      return `the API failed with status ${error.status}${error.apifyMessage === "" ? "" : `: ${error.apifyMessage}`}`
    default:
      return error.apifyMessage === "" ? `status ${error.status}` : error.apifyMessage
  }
}

/**
 * The exit code for an API error.
 *
 * @since 0.1.0
 */
export const exitCodeOf = (error: ApifyError.ApifyError): number => {
  switch (error._tag) {
    case "BadRequest":
      return conflictTypes.has(error.type) ? ExitCode.conflict : ExitCode.invalidInput
    case "PayloadTooLarge":
    case "UnsupportedMediaType":
    case "InvalidRequest":
      return ExitCode.invalidInput
    case "Unauthorized":
      return ExitCode.auth
    case "Forbidden":
      return conflictTypes.has(error.type) ? ExitCode.conflict : ExitCode.auth
    case "NotFound":
      return ExitCode.notFound
    case "RateLimited":
      return ExitCode.rateLimited
    case "MethodNotAllowed":
    case "ServerError":
    case "TransportError":
    case "DecodeError":
      return ExitCode.failure
  }
}

const requestLine = (error: ApifyError.ApifyError): string => {
  switch (error._tag) {
    case "TransportError":
      return `request: ${error.method} ${error.path} -> ${error.reason} (${attemptsText(error.attempts)})`
    case "DecodeError":
      return `request: ${error.method} ${error.path} -> ${error.status}, answer not decodable (${
        attemptsText(error.attempts)
      })`
    case "InvalidRequest":
      return `request: ${error.method} ${error.path} -> refused locally, not sent`
    default:
      return `request: ${error.method} ${error.path} -> ${error.status} ${error.type} (${attemptsText(error.attempts)})`
  }
}

/**
 * The report for an API error.
 *
 * @since 0.1.0
 */
export const apiError = (error: ApifyError.ApifyError, context: Context): Report => {
  const lines = [
    `Error: ${context.what} failed: ${sentence(problem(error))} Hint: ${sentence(hintFor(error, context))}`
  ]
  if (context.verbose) {
    lines.push(`  ${requestLine(error)}`)
    if ("type" in error) lines.push(`  apify error type: ${error.type}`)
    if (context.credentials !== undefined) {
      lines.push(`  base URL: ${context.credentials.baseUrl}; token from: ${context.credentials.tokenSource}`)
    }
  }
  return { lines: finish(lines, context), exitCode: exitCodeOf(error) }
}

/**
 * The report for a failure the command line found itself (exit code 2).
 *
 * @since 0.1.0
 */
export const cliError = (error: CliError.CliError, context: Context): Report => {
  const hint = error.hint === undefined ? "" : ` Hint: ${sentence(error.hint)}`
  const lines = [`Error: ${context.what} failed: ${sentence(error.message)}${hint}`]
  if (context.verbose && error._tag === "LocalFileError") lines.push(`  file: ${error.path}`)
  return { lines: finish(lines, context), exitCode: ExitCode.invalidInput }
}
