/**
 * Downloads a TARBALL version's zip for `versions pull`: only an `http:` or `https:` URL,
 * over the same transport as the API (`Remote.transport`), without the API token, streamed
 * into memory up to a bound (the download fails as soon as it passes it), within a time limit.
 *
 * @since 0.1.0
 */
import { ApifyError } from "@effect-apify/api"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as Remote from "./Remote.js"
import * as TerminalText from "./TerminalText.js"

/**
 * The largest zip downloaded (64 MiB) and the time a download may take (10 minutes).
 *
 * @since 0.1.0
 */
export const limits = { maxBytes: 64 * 1024 * 1024, timeout: Duration.minutes(10) } as const

const transportError = (url: URL, reason: "Transport" | "Timeout", detail: string) =>
  new ApifyError.TransportError({ reason, detail, method: "GET", path: url.pathname, attempts: 1 })

/**
 * The bytes at `url`, refused unless it is `http:` or `https:` and at most `maxBytes`.
 *
 * @since 0.1.0
 */
export const download = (
  url: string,
  maxBytes: number = limits.maxBytes
): Effect.Effect<Uint8Array, CliError.InvalidInput | ApifyError.TransportError | ApifyError.ApifyError> =>
  Effect.gen(function*() {
    const parsed = URL.canParse(url) ? new URL(url) : undefined
    if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      return yield* new CliError.InvalidInput({
        message: `the tarball URL ${TerminalText.escape(url)} is not an http(s) URL`,
        hint: "pull downloads only http: and https: URLs; nothing was written"
      })
    }
    const client = yield* HttpClient.HttpClient
    const chunks: Array<Uint8Array> = []
    let size = 0
    const response = yield* client.get(parsed).pipe(
      Effect.mapError((error) => transportError(parsed, "Transport", error.message))
    )
    if (response.status !== 200) {
      return yield* new CliError.InvalidInput({
        message: `the tarball URL ${TerminalText.escape(url)} answered ${response.status}`,
        hint: "check that the version's tarball still exists; nothing was written"
      })
    }
    yield* Stream.runForEach(response.stream, (chunk) => {
      size += chunk.length
      if (size > maxBytes) {
        return new CliError.InvalidInput({
          message: `the tarball is over the ${Format.bytes(maxBytes)} download bound`,
          hint: "download it yourself; nothing was written"
        })
      }
      chunks.push(chunk)
      return Effect.void
    }).pipe(Effect.catchTag("ResponseError", (error) => transportError(parsed, "Transport", error.message)))
    return Buffer.concat(chunks)
  }).pipe(
    Effect.scoped,
    Effect.timeoutFail({
      duration: limits.timeout,
      onTimeout: () => transportError(new URL("http://x/"), "Timeout", "the tarball download took too long")
    }),
    Effect.provide(Remote.transport)
  )
