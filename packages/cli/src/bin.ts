/**
 * The `effect-apify` executable. Runs the command line and ends the process with the exit
 * code of the outcome (`Cli.main`; see `Report.ExitCode`).
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Cli from "./Cli.js"
import * as Define from "./commands/Define.js"
import * as ExitCodes from "./ExitCodes.js"
import * as PlainConsole from "./PlainConsole.js"

const environment = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)

// Used by the build when it writes the V8 code cache: load the on-demand modules too, so
// that their compiled code is in the cache for the commands that need them.
const warm = process.env.EFFECT_APIFY_WARM_CACHE === "1" ? Define.loadAll : Effect.void

// Which signal stopped the run: SIGTERM exits 143, SIGINT (Ctrl-C) 130, as shells do (128 + n).
// Registered before runMain's own handlers, which interrupt the program on either.
let signalled: keyof typeof ExitCodes.signal = "SIGINT"
process.once("SIGTERM", () => {
  signalled = "SIGTERM"
})

// A write to stdout that fails (a full disk, a closed descriptor) fails the run with one line
// on stderr; a reader that went away (EPIPE, `| head`) ends it quietly with the run's code.
// Node's console drops write errors, so they are caught on the stream.
let outputError: NodeJS.ErrnoException | undefined
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  outputError ??= error
})
const outputProblems: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on device",
  EBADF: "the output is closed",
  EIO: "an input/output error",
  EFBIG: "the file is too large"
}
const finish = (code: number, onExit: (code: number) => void) =>
  // A write error is reported on a later turn of the event loop.
  setImmediate(() => {
    if (outputError === undefined || outputError.code === "EPIPE") return onExit(code)
    const problem = outputProblems[outputError.code ?? ""] ?? `system error ${outputError.code ?? outputError.message}`
    process.stderr.write(`Error: cannot write the output: ${problem}.\n`)
    return onExit(ExitCodes.ExitCode.failure)
  })

warm.pipe(
  Effect.zipRight(Cli.main(process.argv)),
  Effect.provide(environment),
  PlainConsole.withPlainConsole,
  NodeRuntime.runMain({
    disableErrorReporting: true,
    teardown: (exit, onExit) => {
      if (Exit.isSuccess(exit)) return finish(typeof exit.value === "number" ? exit.value : 0, onExit)
      // Ctrl-C or SIGTERM: the emulator's normal way to stop (0); for other commands 130 or 143.
      if (Cause.isInterruptedOnly(exit.cause)) {
        return onExit(process.argv[2] === "emulator" ? ExitCodes.ExitCode.ok : ExitCodes.signal[signalled])
      }
      process.stderr.write(`Error: unexpected failure: ${Cause.pretty(exit.cause).split("\n")[0]}\n`)
      return onExit(ExitCodes.ExitCode.failure)
    }
  })
)
