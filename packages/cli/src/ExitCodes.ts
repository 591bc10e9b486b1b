/**
 * The exit codes of the command line and what each means: the one table the error report
 * (`Report`), the help's EXIT CODES section and docs/cli.md (tested) are made from. A leaf
 * module: loading it loads nothing else, so help can show it without the client.
 *
 * @since 0.1.0
 */

/**
 * The exit codes, by name.
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
  rateLimited: 6,
  buildFailed: 7,
  buildTimedOut: 8,
  buildAborted: 9
} as const

/**
 * The name of an exit code.
 *
 * @since 0.1.0
 */
export type Name = keyof typeof ExitCode

/**
 * What each exit code means.
 *
 * @since 0.1.0
 */
export const meaning: { readonly [N in Name]: string } = {
  ok: "success",
  failure: "server or transport failure (5xx, network, timeout, unreadable answer)",
  invalidInput: "invalid input or usage, refused locally or by the API (400, 413, 415); `env get` of a secret",
  auth: "authentication or permission (401, 403)",
  notFound: "not found (404)",
  conflict: "conflict (the version or variable exists, the last version, a name taken)",
  rateLimited: "rate limited after the retries (429)",
  buildFailed: "the build ended FAILED",
  buildTimedOut: "the build ended TIMED-OUT",
  buildAborted: "the build ended ABORTED"
}

/**
 * The exit code when a signal ends a run, as shells give it (128 + the signal's number).
 *
 * @since 0.1.0
 */
export const signal = { SIGINT: 130, SIGTERM: 143 } as const

/**
 * What each signal's exit code means.
 *
 * @since 0.1.0
 */
export const signalMeaning: { readonly [S in keyof typeof signal]: string } = {
  SIGINT: "interrupted (Ctrl-C)",
  SIGTERM: "terminated (SIGTERM)"
}

/**
 * Every exit code with its meaning, in order: the named ones, then the signals'.
 *
 * @since 0.1.0
 */
export const all: ReadonlyArray<readonly [number, string]> = [
  ...(Object.keys(ExitCode) as Array<Name>).map((name) => [ExitCode[name], meaning[name]] as const),
  ...(Object.keys(signal) as Array<keyof typeof signal>).map((name) => [signal[name], signalMeaning[name]] as const)
]
