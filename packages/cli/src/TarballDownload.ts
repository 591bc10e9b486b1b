/**
 * Downloads a TARBALL version's zip for `versions pull`: only an `http:` or `https:` URL,
 * through the API client (`KeyValueStores.getRecordAt`): the token goes with it when the URL is
 * on the API's origin (a record of the private store push uploads to), never elsewhere;
 * redirects are followed (Apify answers a record with 302 and a signed storage URL, which gets
 * no token); streamed into memory up to a bound (the download fails as soon as it passes it),
 * within a time limit.
 *
 * @since 0.1.0
 */
import { ApifyError, KeyValueStores } from "@effect-apify/api"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as TerminalText from "./TerminalText.js"

/**
 * The largest zip downloaded (64 MiB) and the time a download may take (10 minutes).
 *
 * @since 0.1.0
 */
export const limits = { maxBytes: 64 * 1024 * 1024, timeout: Duration.minutes(10) } as const

const transportError = (url: URL, reason: "Transport" | "Timeout", detail: string) =>
  new ApifyError.TransportError({ reason, detail, method: "GET", path: url.pathname, attempts: 1 })

// What to do about an error answer: the token, for a record on the API; else the tarball itself.
const hintFor = (status: number): string =>
  status === 401 || status === 403
    ? "the record is in a private key-value store: pull sends the token (--token, APIFY_TOKEN) only to the API at --base-url (APIFY_API_BASE_URL), so use the one the version was pushed to, with a token that can read it; nothing was written"
    : "check that the version's tarball still exists; nothing was written"

/**
 * The bytes at `url`, refused unless it is `http:` or `https:` and at most `maxBytes`. An error
 * answer is named with its status and the URL without its query (a signature stays out).
 *
 * @since 0.1.0
 */
export const download = (
  url: string,
  maxBytes: number = limits.maxBytes
): Effect.Effect<
  Uint8Array,
  CliError.InvalidInput | ApifyError.TransportError | ApifyError.ApifyError,
  KeyValueStores.KeyValueStores
> =>
  Effect.gen(function*() {
    const parsed = URL.canParse(url) ? new URL(url) : undefined
    if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      return yield* new CliError.InvalidInput({
        message: `the tarball URL ${TerminalText.escape(url)} is not an http(s) URL`,
        hint: "pull downloads only http: and https: URLs; nothing was written"
      })
    }
    const shown = TerminalText.escape(`${parsed.origin}${parsed.pathname}`)
    const stores = yield* KeyValueStores.KeyValueStores
    const record = yield* stores.getRecordAt(url).pipe(
      Effect.catchIf((error): error is Extract<typeof error, ApifyError.HttpError> => "status" in error, (error) =>
        new CliError.InvalidInput({
          message: `the tarball URL ${shown} answered ${error.status}`,
          hint: hintFor(error.status)
        }))
    )
    const chunks: Array<Uint8Array> = []
    let size = 0
    yield* Stream.runForEach(record.stream, (chunk) => {
      size += chunk.length
      if (size > maxBytes) {
        return new CliError.InvalidInput({
          message: `the tarball is over the ${Format.bytes(maxBytes)} download bound`,
          hint: "download it yourself; nothing was written"
        })
      }
      chunks.push(chunk)
      return Effect.void
    })
    return Buffer.concat(chunks)
  }).pipe(
    Effect.scoped,
    Effect.timeoutFail({
      duration: limits.timeout,
      onTimeout: () =>
        transportError(new URL("http://x/"), "Timeout", "the tarball download took too long")
    })
  )
