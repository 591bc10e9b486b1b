/**
 * A build's log as the command line writes it: made safe on a terminal, written with
 * backpressure (a slow reader slows the reading, nothing piles up in memory), and shown on
 * stderr while a build is waited for, read on for a short grace once the build has ended.
 *
 * @since 0.1.0
 */
import { ActorBuilds } from "@effect-apify/api"
import * as Console from "effect/Console"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import type { Writable } from "node:stream"
import * as TerminalText from "./TerminalText.js"

/**
 * A piece of a build's log made safe for a terminal: line breaks and tabs kept (a `\r` before
 * a line break dropped), every other control character written out (`TerminalText.escape`),
 * so that a log cannot move the cursor, set the title or clear the screen.
 *
 * @since 0.1.0
 */
export const terminalLog = (text: string): string =>
  text.split("\n").map((line) =>
    (line.endsWith("\r") ? line.slice(0, -1) : line).split("\t").map(TerminalText.escape).join("\t")
  ).join("\n")

/**
 * Writes a piece of a log: into a pipe or file as it is, on a terminal made safe. Waits while
 * the stream's buffer is full (a slow reader), so that a log is never held in memory; gives
 * `false` once the stream is closed (the reader went away), so that reading can stop.
 *
 * @since 0.1.0
 */
export const write = (stream: Writable & { readonly isTTY?: boolean }) => (text: string) =>
  Effect.async<boolean>((resume) => {
    const closed = () => stream.destroyed
    if (closed()) return resume(Effect.succeed(false))
    if (stream.write(stream.isTTY === true ? terminalLog(text) : text)) return resume(Effect.succeed(true))
    const done = () => {
      off()
      resume(Effect.succeed(!closed()))
    }
    const off = () => {
      stream.off("drain", done)
      stream.off("close", done)
      stream.off("error", done)
    }
    stream.once("drain", done)
    stream.once("close", done)
    stream.once("error", done)
    return Effect.sync(off)
  })

/**
 * Writes a log to `stream` (`write`), until the log ends or the stream is closed.
 *
 * @since 0.1.0
 */
export const writeTo =
  (stream: Writable & { readonly isTTY?: boolean }) =>
  <E, R>(log: Stream.Stream<string, E, R>): Effect.Effect<void, E, R> =>
    log.pipe(
      // not Stream.runForEachWhile: its sink keeps a continuation per piece until the end
      Stream.mapEffect(write(stream)),
      Stream.takeWhile((open) => open),
      Stream.runDrain
    )

/**
 * How long the log is still read once the build has ended, when the API keeps it open.
 *
 * @since 0.1.0
 */
export const logGrace = Duration.seconds(3)

/**
 * Runs `waited` (the wait for a build to end) with the build's log on stderr meanwhile. Once
 * the build has ended the log is read on until it ends, for at most `logGrace`: an API that
 * keeps it open does not keep the command waiting (a line says so).
 *
 * @since 0.1.0
 */
export const showWhile = <A, E, R>(buildId: string, waited: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const builds = yield* ActorBuilds.ActorBuilds
    const ended = yield* Deferred.make<void>()
    const cut = yield* Ref.make(false)
    const lineStart = yield* Ref.make(true)
    const [, finished] = yield* Effect.all([
      builds.log(buildId).pipe(
        Stream.interruptWhen(
          Deferred.await(ended).pipe(Effect.zipRight(Effect.sleep(logGrace)), Effect.zipRight(Ref.set(cut, true)))
        ),
        Stream.tap((text) => Ref.set(lineStart, text.endsWith("\n"))),
        writeTo(process.stderr)
      ),
      Effect.tap(waited, () => Deferred.succeed(ended, undefined))
    ], { concurrency: 2 })
    if (yield* Ref.get(cut)) {
      yield* Console.error(
        `${(yield* Ref.get(lineStart)) ? "" : "\n"}The API kept the log open ${
          Duration.toSeconds(logGrace)
        } s after the build ended: stopped reading it (\`effect-apify builds log ${buildId}\` prints it).`
      )
    }
    return finished
  })
