/**
 * What the command line writes, as the executable writes it: stderr is never coloured and
 * every line of it is escaped (`TerminalText`), since usage errors quote the arguments as
 * given and an argument holding ESC, \r or a bidi control must not reach the terminal raw.
 * stdout is left as the commands write it: human output is escaped where it is made
 * (`Output`), and `env get` into a pipe writes the value's bytes as they are.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as TerminalText from "./TerminalText.js"

const ansi = /\u001b\[[0-9;]*m/g

const plain = (args: ReadonlyArray<unknown>) => args.map((arg) => typeof arg === "string" ? arg.replace(ansi, "") : arg)

/**
 * Runs `effect` with the console's `error` (stderr) filtered as above.
 *
 * @since 0.1.0
 */
export const withPlainConsole = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Console.consoleWith((console) =>
    Effect.withConsole(effect, {
      ...console,
      error: (...args) =>
        console.error(
          ...plain(args).map((arg) =>
            typeof arg === "string" ? arg.split("\n").map(TerminalText.escape).join("\n") : arg
          )
        )
    })
  )
