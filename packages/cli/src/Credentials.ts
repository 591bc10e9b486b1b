/**
 * Where the API token and base URL come from: `--token`, then `APIFY_TOKEN`, then the
 * `token` field of `~/.apify/auth.json` (the file Apify's own CLI writes on `apify login`);
 * `--base-url`, then `APIFY_API_BASE_URL`, then `https://api.apify.com`.
 *
 * The token is kept `Redacted` from the moment it is read.
 *
 * @since 0.1.0
 */
import { ApifyClient } from "@effect-apify/api"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as JsonPosition from "./JsonPosition.js"
import * as LocalFiles from "./LocalFiles.js"

/**
 * The API's public base URL, used when nothing else is given.
 *
 * @since 0.1.0
 */
export const defaultBaseUrl = "https://api.apify.com"

/**
 * Where the token was found; shown by `--verbose`, never the token itself.
 *
 * @since 0.1.0
 */
export type TokenSource = "--token" | "APIFY_TOKEN" | "~/.apify/auth.json" | "none"

/**
 * Where the base URL came from.
 *
 * @since 0.1.0
 */
export type BaseUrlSource = "--base-url" | "APIFY_API_BASE_URL" | "default"

/**
 * The resolved connection settings.
 *
 * @since 0.1.0
 */
export interface Credentials {
  readonly token: Option.Option<Redacted.Redacted<string>>
  readonly tokenSource: TokenSource
  readonly baseUrl: string
  readonly baseUrlSource: BaseUrlSource
}

/**
 * The directory Apify's CLI keeps its files in: `~/.apify`.
 *
 * @since 0.1.0
 */
export const apifyDirectory = (): string => NodePath.join(NodeOs.homedir(), ".apify")

/**
 * The largest `~/.apify` file that is read: 1 MiB.
 *
 * @since 0.1.0
 */
export const maxJsonFileBytes = 1024 * 1024

/**
 * Reads and parses a JSON file; `Option.none()` when it does not exist. Read as a pushed file
 * is (`LocalFiles.readBounded`): a regular file (a link to one is followed) of at most 1 MiB,
 * opened without blocking; a FIFO, a device or a larger file is refused, never read.
 *
 * @since 0.1.0
 */
export const readJsonFile = (path: string): Effect.Effect<Option.Option<unknown>, CliError.LocalFileError> =>
  Effect.gen(function*() {
    const fail = (reason: string) =>
      new CliError.LocalFileError({ path, message: `cannot read ${path}: ${reason}`, hint: "fix or remove the file" })
    const found = yield* LocalFiles.lstatIfExists(path)
    if (Option.isNone(found)) return Option.none()
    const target = LocalFiles.resolve(path)
    if (target._tag === "Broken") return yield* fail(`a symbolic link that leads nowhere (${target.reason})`)
    const bytes = yield* LocalFiles.readBounded(target.path, maxJsonFileBytes, path)
    const text = Buffer.from(bytes).toString("utf8")
    return yield* Effect.try({
      try: () => Option.some(JSON.parse(text) as unknown),
      catch: () => fail(`not valid JSON${JsonPosition.describe(text)}`)
    })
  })

const authFileToken = Effect.suspend(() => {
  const path = NodePath.join(apifyDirectory(), "auth.json")
  return readJsonFile(path).pipe(
    Effect.map(Option.flatMap((json) => {
      if (typeof json === "object" && json !== null && "token" in json && typeof json.token === "string") {
        return json.token.length > 0 ? Option.some(json.token) : Option.none()
      }
      return Option.none()
    }))
  )
})

const nonEmpty = (value: Option.Option<string>): Option.Option<string> =>
  Option.filter(value, (s) => s.trim().length > 0)

/**
 * Resolves the token and base URL from the flags, the environment and `~/.apify/auth.json`.
 *
 * @example
 * ```ts
 * import { Credentials } from "@effect-apify/cli"
 * import * as Option from "effect/Option"
 *
 * const program = Credentials.resolve({ token: Option.none(), baseUrl: Option.none() })
 * ```
 *
 * @since 0.1.0
 */
export const resolve = Effect.fn("Credentials.resolve")(function*(flags: {
  readonly token: Option.Option<string>
  readonly baseUrl: Option.Option<string>
}) {
  const baseUrlFromEnv = yield* Config.option(Config.string("APIFY_API_BASE_URL")).pipe(
    Effect.orElseSucceed(() => Option.none<string>())
  )
  const flagUrl = nonEmpty(flags.baseUrl)
  const envUrl = nonEmpty(baseUrlFromEnv)
  const baseUrlSource: BaseUrlSource = Option.isSome(flagUrl)
    ? "--base-url"
    : Option.isSome(envUrl)
    ? "APIFY_API_BASE_URL"
    : "default"
  const given = Option.getOrElse(Option.orElse(flagUrl, () => envUrl), () => defaultBaseUrl)
  // The client's own rule; the URL is not repeated, it may hold a password.
  const problem = ApifyClient.baseUrlProblem(given)
  if (problem !== undefined) {
    return yield* new CliError.InvalidInput({
      message: `${problem} (from ${baseUrlSource})`,
      hint: "give --base-url (or APIFY_API_BASE_URL) like https://api.apify.com or http://127.0.0.1:8080"
    })
  }
  const baseUrl = given.replace(/\/+$/, "")
  const make = (token: Credentials["token"], tokenSource: TokenSource): Credentials => ({
    token,
    tokenSource,
    baseUrl,
    baseUrlSource
  })
  const fromFlag = nonEmpty(flags.token)
  if (Option.isSome(fromFlag)) {
    return make(Option.some(Redacted.make(fromFlag.value)), "--token")
  }
  const fromEnv = yield* Config.option(Config.redacted("APIFY_TOKEN")).pipe(
    Effect.orElseSucceed(() => Option.none<Redacted.Redacted<string>>())
  )
  const envToken = Option.filter(fromEnv, (t) => Redacted.value(t).trim().length > 0)
  if (Option.isSome(envToken)) {
    return make(envToken, "APIFY_TOKEN")
  }
  const fromFile = yield* authFileToken
  if (Option.isSome(fromFile)) {
    return make(Option.some(Redacted.make(fromFile.value)), "~/.apify/auth.json")
  }
  return make(Option.none(), "none")
})
