/**
 * Turns a failure into what the person at the terminal sees: one line on stderr naming what
 * failed, with a hint; with `--verbose`, a second line with the request and Apify's error
 * type. And the exit code, one per kind of failure (`ExitCodes`): each error class has its
 * exit code and hint (`byTag`), and the Apify error types that tell errors of one class apart
 * have theirs (`byType`), keyed by the domain's `ErrorType`.
 *
 * @since 0.1.0
 */
import { ApifyError } from "@effect-apify/api"
import { ErrorType, Redaction } from "@effect-apify/domain"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as CliError from "./CliError.js"
import type * as Credentials from "./Credentials.js"
import * as ExitCodes from "./ExitCodes.js"
import * as Format from "./Format.js"
import * as TerminalText from "./TerminalText.js"

/**
 * The exit codes (`ExitCodes.ExitCode`).
 *
 * @since 0.1.0
 */
export const ExitCode: typeof ExitCodes.ExitCode = ExitCodes.ExitCode

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

// The URL a failed request went to when it was not the API's (a TARBALL version's zip on
// another host names its whole URL, without the query, as its path), else undefined.
const offApi = (error: ApifyError.TransportError, context: Context): URL | undefined => {
  const url = URL.canParse(error.path) ? new URL(error.path) : undefined
  const api = context.credentials !== undefined && URL.canParse(context.credentials.baseUrl)
    ? new URL(context.credentials.baseUrl).origin
    : undefined
  return url !== undefined && url.origin !== api ? url : undefined
}

const transportHint = (error: ApifyError.TransportError, context: Context): string => {
  const elsewhere = offApi(error, context)
  return elsewhere !== undefined
    ? `the URL is not on the API (--base-url): check the network and that ${elsewhere.host} answers, then try again`
    : error.reason === "Timeout"
    ? "the API did not answer in time; raise --timeout or try again"
    : error.reason === "InvalidUrl"
    ? "check --base-url or APIFY_API_BASE_URL"
    : `check the network and the base URL${
      context.credentials === undefined
        ? ""
        : ` ${context.credentials.baseUrl} (from ${context.credentials.baseUrlSource})`
    }`
}

/**
 * What a kind of error ends with (the name of its exit code) and what to do about it.
 *
 * @since 0.1.0
 */
export interface Kind<E> {
  readonly exit: ExitCodes.Name
  readonly hint: (error: E, context: Context) => string
}

type Tag = ApifyError.ApifyError["_tag"]

/**
 * Each error class: its exit code and hint.
 *
 * @since 0.1.0
 */
export const byTag: { readonly [T in Tag]: Kind<Extract<ApifyError.ApifyError, { readonly _tag: T }>> } = {
  BadRequest: { exit: "invalidInput", hint: () => "check the arguments" },
  Unauthorized: { exit: "auth", hint: (_, context) => tokenHint(context.credentials) },
  Forbidden: {
    exit: "auth",
    hint: () => "the token's user may not do this to this Actor; check the Actor and the token"
  },
  NotFound: {
    exit: "notFound",
    hint: (_, context) => context.notFoundHint ?? "check the Actor (its ID or username~actor-name) and the base URL"
  },
  MethodNotAllowed: { exit: "failure", hint: () => "is --base-url an Apify API?" },
  PayloadTooLarge: {
    exit: "invalidInput",
    hint: () => "send fewer or smaller files (.actorignore), or build from a Git repository or tarball"
  },
  UnsupportedMediaType: {
    exit: "invalidInput",
    hint: () => "the API did not accept the body's encoding; is --base-url an Apify API?"
  },
  RateLimited: {
    exit: "rateLimited",
    // A Retry-After longer than the retries may wait ends them at once: the wait it asked for.
    hint: (error) =>
      error.retryAfterMillis === undefined
        ? "wait a moment and try again, or allow more retries with --max-retries"
        : `the API asked to wait ${Math.ceil(error.retryAfterMillis / 1000)} s; try again after that`
  },
  ServerError: { exit: "failure", hint: () => "try again later" },
  TransportError: { exit: "failure", hint: transportHint },
  DecodeError: { exit: "failure", hint: () => "the answer did not look like the Apify API's; is --base-url right?" },
  InvalidRequest: { exit: "invalidInput", hint: () => "nothing was sent; fix the arguments" }
}

const { actorNameNotUnique, cannotRenameEnvVar, envVarAlreadyExists, tooFewVersions, versionAlreadyExists } =
  ApifyError.Types

/**
 * The Apify error types with an exit code or hint of their own: the conflicts (exit code 5
 * when the answer is a 400 or 403). The hint applies when the answer has the type's own status
 * (`ErrorType.status`); other types take their class's.
 *
 * @since 0.1.0
 */
export const byType: { readonly [T in ErrorType.ErrorType]?: Kind<ApifyError.HttpError> } = {
  [versionAlreadyExists]: { exit: "conflict", hint: () => "change it with `versions update` or `versions push`" },
  [envVarAlreadyExists]: { exit: "conflict", hint: () => "`env set` changes an existing variable" },
  [tooFewVersions]: {
    exit: "conflict",
    hint: () => "an Actor keeps at least one version; `actors delete` removes the Actor"
  },
  [cannotRenameEnvVar]: { exit: "conflict", hint: () => "unset the variable and set it under the new name" },
  [actorNameNotUnique]: { exit: "conflict", hint: () => "choose another name, or use the existing Actor" }
}

const typeOf = (error: ApifyError.ApifyError): ErrorType.ErrorType | undefined =>
  "type" in error && Object.hasOwn(byType, error.type) ? error.type as ErrorType.ErrorType : undefined

/**
 * Apify error types that mean "conflict" (exit code 5), from `byType`.
 *
 * @since 0.1.0
 */
export const conflictTypes: ReadonlySet<string> = new Set(
  ErrorType.ErrorType.literals.filter((type) => byType[type]?.exit === "conflict")
)

const hintFor = (error: ApifyError.ApifyError, context: Context): string => {
  const type = typeOf(error)
  const typed = type === undefined ? undefined : byType[type]
  if (type !== undefined && typed !== undefined && "status" in error && error.status === ErrorType.status[type]) {
    return typed.hint(error as ApifyError.HttpError, context)
  }
  return (byTag[error._tag].hint as Kind<ApifyError.ApifyError>["hint"])(error, context)
}

const bytesText = (n: number): string => `${Format.number(n)} bytes`

const problem = (error: ApifyError.ApifyError, context: Context): string => {
  switch (error._tag) {
    case "TransportError": {
      // A whole URL (a tarball's) is named; one on the API is still the API.
      const at = URL.canParse(error.path) ? ` ${error.path}` : ""
      if (offApi(error, context) !== undefined) {
        return `no answer ${error.reason === "Timeout" ? "in time " : ""}from${at} (${error.detail})`
      }
      return error.reason === "Timeout"
        ? `no answer in time${at === "" ? "" : ` from the API at${at}`} (${error.detail})`
        : `cannot reach the API${at === "" ? "" : ` at${at}`}: ${error.detail}`
    }
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
 * The exit code for an API error: a conflict type's on a 400 or 403 answer, else its class's.
 *
 * @since 0.1.0
 */
export const exitCodeOf = (error: ApifyError.ApifyError): number => {
  const type = typeOf(error)
  const typed = type !== undefined && (error._tag === "BadRequest" || error._tag === "Forbidden")
    ? byType[type]
    : undefined
  return ExitCode[typed?.exit ?? byTag[error._tag].exit]
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
    `Error: ${context.what} failed: ${sentence(problem(error, context))} Hint: ${sentence(hintFor(error, context))}`
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
