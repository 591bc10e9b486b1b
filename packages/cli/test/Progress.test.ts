// The retry countdown is cleared before the command prints (stderr a terminal).
import { ApifyError, Retry } from "@effect-apify/api"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import * as Output from "../src/Output.js"
import * as Progress from "../src/Progress.js"

const clearLine = "\r\u001b[2K"
let written: Array<readonly ["out" | "err", string]> = []
const original = {
  tty: process.stderr.isTTY,
  err: process.stderr.write.bind(process.stderr)
}

beforeEach(() => {
  written = []
  process.stderr.isTTY = true
  process.stderr.write =
    ((chunk: string) => (written.push(["err", String(chunk)]), true)) as typeof process.stderr.write
})
afterEach(() => {
  process.stderr.isTTY = original.tty
  process.stderr.write = original.err
})

describe("retry countdown", () => {
  it("is cleared before the output, even while it still counts", async () => {
    await Effect.runPromise(
      Effect.flatMap(Retry.OnRetry, (hook) =>
        hook({
          operation: "ActorVersions.list",
          method: "GET",
          path: "/v2/acts/owner~my-actor/versions",
          attempt: 2,
          delayMillis: 60_000,
          error: new ApifyError.TransportError({
            reason: "Transport",
            detail: "connection reset",
            method: "GET",
            path: "/v2/acts/owner~my-actor/versions",
            attempts: 2
          })
        })).pipe(
          Effect.zipRight(Output.emit(false, {}, () => "VERSION  SOURCE TYPE")),
          Progress.withRetryCountdown,
          (effect) =>
            Console.consoleWith((console) =>
              Effect.withConsole(effect, {
                ...console,
                log: (...args) => Effect.sync(() => void written.push(["out", args.join(" ")]))
              })
            )
        )
    )
    const firstOut = written.findIndex(([stream]) => stream === "out")
    expect(written[firstOut]![1]).toContain("VERSION")
    const before = written.slice(0, firstOut).map(([, text]) => text)
    expect(before.join("")).toContain("retrying in")
    expect(before.at(-1)).toBe(clearLine)
  })
})
