/**
 * Downloads a TARBALL version's zip: only an `http:` or `https:` URL, through the API client
 * (`KeyValueStores.getRecordAt`): the token goes with it when the URL is on the API's origin
 * (a record of the private store push uploads to), never elsewhere; redirects are followed
 * (Apify answers a record with 302 and a signed storage URL, which gets no token); within a
 * bound on its size (`ZipLimits.maxZipBytes`, what push may upload) and a time limit, its body
 * never quiet for longer than the client's timeout (a body that stalls or breaks off is
 * downloaded again from the start, as the client's retry policy allows).
 *
 * It is streamed into a temporary file (`downloadToFile`), removed when its scope closes (on
 * success, failure and Ctrl-C), from which the zip is read a piece at a time (`ZipFile`). The
 * download fails as soon as it passes the bound, a `Content-Length` over the bound is refused
 * before the body is read, and a body longer or shorter than its `Content-Length` is refused
 * (the transports the CLI uses hand the body over undecoded). Its failures name the tarball
 * URL without its query (where a signature may be) and hold no advice about one command, for
 * pull, diff and `--plan` all use it; a transport failure carries that URL as its `path`, so
 * that it is not reported as the API's unless the URL is on the API.
 *
 * @since 0.1.0
 */
import { ApifyClient, ApifyError, KeyValueStores, Retry } from "@effect-apify/api"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleIntervals from "effect/ScheduleIntervals"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as NodeCrypto from "node:crypto"
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as LocalFiles from "./LocalFiles.js"
import * as PullSteps from "./PullSteps.js"
import * as TerminalText from "./TerminalText.js"
import type * as ZipFile from "./ZipFile.js"
import * as ZipLimits from "./ZipLimits.js"

/**
 * The largest zip downloaded (`ZipLimits.maxZipBytes`) and the time a download may take (10
 * minutes).
 *
 * @since 0.1.0
 */
export const limits = { maxBytes: ZipLimits.maxZipBytes, timeout: Duration.minutes(10) } as const

/**
 * What a download fails with.
 *
 * @since 0.1.0
 */
export type DownloadError = CliError.InvalidInput | ApifyError.TransportError | ApifyError.ApifyError

// A URL as shown: without its query and fragment (where a signature may be) and without a
// user or password, whatever its scheme; text that is not a URL, up to a `?` or `#`.
const shownUrl = (url: URL | string): string => {
  const parsed = typeof url !== "string" ? url : URL.canParse(url) ? new URL(url) : undefined
  if (parsed === undefined) return TerminalText.escape(LocalFiles.shorten(String(url).replace(/[?#].*$/su, ""), 200))
  const bare = new URL(parsed.href)
  bare.search = ""
  bare.hash = ""
  bare.username = ""
  bare.password = ""
  return TerminalText.escape(LocalFiles.shorten(bare.href, 200))
}

// What to do about an error answer: the token, for a record on the API; else the tarball itself.
const hintFor = (status: number): string =>
  status === 401 || status === 403
    ? "the record is in a private key-value store: the token (--token, APIFY_TOKEN) is sent only to the API at --base-url (APIFY_API_BASE_URL), so use the one the version was pushed to, with a token that can read it"
    : "check that the version's tarball still exists"

// What to do about an error answer from where the URL redirected (a signed storage URL, which
// gets no token): a signature that expired or is not valid, for 401 and 403.
const redirectedHintFor = (status: number): string =>
  status === 401 || status === 403
    ? "the signed URL it was redirected to may have expired or be invalid: try again (a record's API URL redirects to a newly signed one each time), else check the version's tarball (versions get --json)"
    : "check that the version's tarball still exists"

const httpUrl = (url: string): Either.Either<URL, CliError.InvalidInput> => {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  return parsed !== undefined && (parsed.protocol === "http:" || parsed.protocol === "https:")
    ? Either.right(parsed)
    : Either.left(
      new CliError.InvalidInput({
        message: `the tarball URL ${shownUrl(url)} is not an http(s) URL`,
        hint: "only http: and https: URLs are downloaded; point the version at one (versions update --tarball)"
      })
    )
}

// An error answer: named with its status and the URL without its query (a signature stays
// out), and with where the URL redirected when that answered (the error's path is then a URL,
// e.g. the record's storage with another signature).
const answered = (url: URL, error: ApifyError.HttpError) => {
  const target = URL.canParse(error.path) ? new URL(error.path) : undefined
  return target === undefined
    ? new CliError.InvalidInput({
      message: `the tarball URL ${shownUrl(url)} answered ${error.status}`,
      hint: hintFor(error.status)
    })
    : new CliError.InvalidInput({
      message: `the tarball URL ${shownUrl(url)} was redirected to ${shownUrl(target)}, which answered ${error.status}`,
      hint: redirectedHintFor(error.status)
    })
}

// The record at the URL, its body not read yet. An error answer is refused (`answered`), and so
// is an answer that cannot be followed or read (a redirect to a file: URL, or past 5 redirects).
const opened = (url: URL) =>
  Effect.flatMap(KeyValueStores.KeyValueStores, (stores) => stores.getRecordAt(url.href)).pipe(
    Effect.catchIf(
      (error): error is Extract<typeof error, ApifyError.HttpError> => "status" in error,
      (error) => Effect.fail(answered(url, error))
    ),
    Effect.catchIf(
      (error): error is ApifyError.TransportError =>
        error instanceof ApifyError.TransportError && error.reason === "InvalidAnswer",
      (error) =>
        new CliError.InvalidInput({
          message: `the tarball URL ${shownUrl(url)} answered with ${TerminalText.escape(error.detail)}`,
          hint: "its answer cannot be used; point the version at the zip's own http(s) URL, or download it yourself"
        })
    )
  )

const overBound = (url: URL, maxBytes: number, declared?: number) =>
  new CliError.InvalidInput({
    message: `the tarball ${shownUrl(url)} ${
      declared === undefined ? "is" : `declares ${Format.bytes(declared)} (Content-Length),`
    } over the ${Format.bytes(maxBytes)} download bound`,
    hint: `a version's zip is at most ${Format.bytes(maxBytes)}, what versions push uploads; download it yourself`
  })

const notAsDeclared = (url: URL, what: string) =>
  new CliError.InvalidInput({
    message: `the download of the tarball ${shownUrl(url)} ${what}`,
    hint: "the server answered with a wrong Content-Length; try again, or download it yourself"
  })

// Where each piece of the body goes, given where it starts.
type Put<E> = (piece: Uint8Array, at: number) => Either.Either<void, E>

// Fails once no piece has come for `idle` since `lastAt()`: one timer at a time, set again from
// the last piece's time (a timeout around each piece cost some 20 MB more of a 40 MB download).
const quiet = (
  idle: Duration.Duration,
  lastAt: () => number,
  onQuiet: () => ApifyError.TransportError
): Effect.Effect<never, ApifyError.TransportError> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const left = lastAt() + Duration.toMillis(idle) - now
    return left <= 0
      ? Effect.fail(onQuiet())
      : Effect.zipRight(Effect.sleep(left), Effect.suspend(() => quiet(idle, lastAt, onQuiet)))
  })

// Runs the record's body into `put`, within `maxBytes` and its declared length (a declared
// length over `maxBytes` refused before the body is read), failing when no piece arrives for
// `idle`; the body's size.
const receive = <E>(
  url: URL,
  record: KeyValueStores.StoredRecord,
  limits: { readonly maxBytes: number; readonly idle: Duration.Duration },
  put: Put<E>
): Effect.Effect<number, CliError.InvalidInput | ApifyError.TransportError | E> =>
  Effect.flatMap(Clock.currentTimeMillis, (start) => {
    const { idle, maxBytes } = limits
    const declared = record.contentLength
    if (declared !== undefined && declared > maxBytes) {
      return Effect.fail(overBound(url, maxBytes, declared))
    }
    let size = 0
    let lastAt = start
    const body = Stream.runForEach(record.stream, (piece): Effect.Effect<void, CliError.InvalidInput | E> => {
      const at = size
      size += piece.length
      if (declared !== undefined && size > declared) {
        return Effect.fail(notAsDeclared(url, `passed the ${Format.bytes(declared)} its Content-Length declares`))
      }
      if (size > maxBytes) return Effect.fail(overBound(url, maxBytes))
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        lastAt = now
        return put(piece, at)
      })
    }).pipe(Effect.zipRight(Effect.suspend(() =>
      declared === undefined || size === declared ?
        Effect.succeed(size) :
        Effect.fail(notAsDeclared(url, `ended after ${Format.bytes(size)} of the ${Format.bytes(declared)} declared`))
    )))
    return Effect.raceFirst(
      body,
      quiet(
        idle,
        () => lastAt,
        () => transportError(url, "Timeout", `the download stopped: nothing came for ${Duration.format(idle)}`)
      )
    )
  })

// The URL as a transport failure names it: whole, without its query.
const wholeUrl = (url: URL): string => `${url.origin}${url.pathname}`

const transportError = (url: URL, reason: ApifyError.TransportError["reason"], detail: string, attempts = 1) =>
  new ApifyError.TransportError({ reason, detail, method: "GET", path: wholeUrl(url), attempts })

// How long the body may go quiet (the client's timeout per attempt) and when a download whose
// body broke or stalled is tried again (the client's retry policy): the defaults without a client.
const settings = Effect.gen(function*() {
  const client = yield* Effect.serviceOption(ApifyClient.ApifyClient)
  return Option.isSome(client)
    ? { idle: client.value.timeout, policy: client.value.retry }
    : { idle: ApifyClient.defaultTimeout, policy: yield* Retry.Retry }
})

// Runs `attempt` 1, 2, ... while it fails with a body's transport failure (`Left`) and the
// policy goes on, waiting what it says and telling the `OnRetry` hook (the countdown on a
// terminal) first.
const retried = <E, R>(
  url: URL,
  policy: Retry.Policy,
  attempt: (n: number) => Effect.Effect<Either.Either<number, ApifyError.TransportError>, E, R>
): Effect.Effect<number, E | ApifyError.TransportError, R> => {
  let state: unknown = policy.schedule.initial
  const loop = (n: number): Effect.Effect<number, E | ApifyError.TransportError, R> =>
    Effect.flatMap(attempt(n), (outcome) => {
      if (Either.isRight(outcome)) return Effect.succeed(outcome.right)
      const error = transportError(url, outcome.left.reason, outcome.left.detail, n)
      return Effect.flatMap(
        Clock.currentTimeMillis,
        (now) =>
          Effect.flatMap(policy.schedule.step(now, error, state), ([next, _, decision]) => {
            if (ScheduleDecision.isDone(decision)) return Effect.fail(error)
            state = next
            const delayMillis = Math.max(0, ScheduleIntervals.start(decision.intervals) - now)
            return Effect.flatMap(
              Retry.OnRetry,
              (hook) =>
                hook({ operation: "TarballDownload", method: "GET", path: error.path, attempt: n, delayMillis, error })
            ).pipe(
              Effect.zipRight(Effect.sleep(delayMillis)),
              Effect.zipRight(Effect.suspend(() => loop(n + 1)))
            )
          })
      )
    })
  return loop(1)
}

// The download of the zip at `url` into `put`: each attempt opens the URL (the client retries
// that as any request) and reads the body, which must not go quiet for longer than the
// client's timeout; a body that breaks or stalls is downloaded again from the start as the
// retry policy allows, all within the time limit. The body's size. A transport failure names
// the whole URL (without its query) as its path.
const fetchInto = <E>(
  url: URL,
  maxBytes: number,
  put: Put<E>
): Effect.Effect<number, DownloadError | E, KeyValueStores.KeyValueStores> => {
  const whole = wholeUrl(url)
  return Effect.flatMap(
    settings,
    ({ idle, policy }) =>
      retried(
        url,
        policy,
        () =>
          Effect.scoped(Effect.flatMap(opened(url), (record) =>
            receive(url, record, { maxBytes, idle }, put).pipe(
              Effect.map(Either.right),
              Effect.catchIf(
                (error): error is ApifyError.TransportError => error instanceof ApifyError.TransportError,
                (error) => Effect.succeed(Either.left(error))
              )
            )))
      )
  ).pipe(
    Effect.timeoutFail({
      duration: limits.timeout,
      onTimeout: () =>
        transportError(url, "Timeout", `the download took more than ${Duration.toMinutes(limits.timeout)} minutes`)
    }),
    Effect.mapError((error) =>
      error instanceof ApifyError.TransportError && error.path !== whole
        ? new ApifyError.TransportError({
          reason: error.reason,
          detail: error.detail,
          method: error.method,
          path: whole,
          attempts: error.attempts,
          ...(error.unsent === undefined ? {} : { unsent: error.unsent })
        })
        : error
    ),
    Effect.tap((size) => Effect.annotateCurrentSpan("tarball.bytes", size)),
    Effect.withSpan("TarballDownload.fetch", { attributes: { "url.full": whole } })
  )
}

/**
 * Where `versions pull` into `root` puts the downloaded zip: in `root` when it is a folder,
 * else in the nearest existing folder above it (where the staging directory goes), else in
 * the system's temporary folder.
 *
 * @since 0.1.0
 */
export const folderFor = (root: string): string => {
  for (let dir = NodePath.resolve(root); NodePath.dirname(dir) !== dir; dir = NodePath.dirname(dir)) {
    const stats = Either.getOrUndefined(
      PullSteps.attempt(dir, "", () => NodeFs.statSync(dir, { throwIfNoEntry: false }))
    )
    if (stats?.isDirectory() === true) return dir
  }
  return NodeOs.tmpdir()
}

const shown = PullSteps.shownPath

// What to do about a temporary file that cannot be made or written.
const spaceHint = (folder: string) => `check the space left in ${shown(folder)} and that it can be written to`

const tempFlags = NodeFs.constants.O_RDWR | NodeFs.constants.O_CREAT | NodeFs.constants.O_EXCL |
  NodeFs.constants.O_NOFOLLOW

// A new temporary file in `folder`, closed and removed when the scope closes.
const tempFile = (folder: string) =>
  Effect.acquireRelease(
    Effect.suspend(() => {
      const path = NodePath.join(folder, `${PullSteps.tempPrefix}${NodeCrypto.randomBytes(6).toString("hex")}.zip`)
      return Either.map(
        PullSteps.attempt(
          path,
          `cannot make a temporary file for the tarball in ${shown(folder)}`,
          () => NodeFs.openSync(path, tempFlags, 0o600),
          spaceHint(folder)
        ),
        (fd) => ({ path, fd })
      )
    }),
    ({ fd, path }) =>
      Effect.suspend(() => {
        PullSteps.attempt(path, "", () => NodeFs.closeSync(fd))
        const removed = PullSteps.attempt(path, "", () => NodeFs.rmSync(path, { force: true }))
        return Either.isRight(removed) ? Effect.void : Console.error(
          `Warning: could not remove the downloaded tarball ${shown(path)}.`
        )
      })
  )

// The zip in the file open as `fd`, read with `pread` into `scratch` or a new buffer.
const fileZip = (fd: number, size: number, path: string): ZipFile.ZipFile<CliError.LocalFileError> => ({
  size,
  read: (position, length, scratch) =>
    PullSteps.attempt(path, `cannot read the downloaded tarball ${shown(path)}`, () => {
      const out = scratch === undefined ? new Uint8Array(length) : scratch.subarray(0, length)
      for (let filled = 0; filled < length;) {
        const got = NodeFs.readSync(fd, out, filled, length - filled, position + filled)
        if (got === 0) throw new Error("it ended early")
        filled += got
      }
      return out
    }, undefined)
})

/**
 * The zip at `url`, refused unless it is `http:` or `https:`, at most `maxBytes` and as long
 * as it declares, streamed into a temporary file in `folder` (see
 * `folderFor`) and read from there, a piece at a time; the file is removed when the scope
 * closes. Memory holds a piece of the download at a time, whatever the zip's size.
 *
 * @since 0.1.0
 */
export const downloadToFile = (
  url: string,
  folder: string,
  maxBytes: number = limits.maxBytes
): Effect.Effect<
  ZipFile.ZipFile<CliError.LocalFileError>,
  DownloadError | CliError.LocalFileError,
  KeyValueStores.KeyValueStores | Scope.Scope
> =>
  Effect.gen(function*() {
    const parsed = yield* httpUrl(url)
    const { fd, path } = yield* tempFile(folder)
    const what = `cannot write the downloaded tarball to ${shown(path)}`
    const size = yield* fetchInto(parsed, maxBytes, (piece, at) =>
      PullSteps.attempt(path, what, () => {
        for (let done = 0; done < piece.length;) {
          done += NodeFs.writeSync(fd, piece, done, piece.length - done, at + done)
        }
      }, spaceHint(folder)))
    return fileZip(fd, size, path)
  })
