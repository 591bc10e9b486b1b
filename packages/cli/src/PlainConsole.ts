/**
 * What the command line writes, as the executable writes it: @effect/cli colours its help and
 * usage errors, so escape codes are kept out of stdout unless it is a terminal (and out of
 * everything when `NO_COLOR` is set); stderr is never coloured and every line of it is
 * escaped (`TerminalText`), since usage errors quote the arguments as given and an argument
 * holding ESC, \r or a bidi control must not reach the terminal raw.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as TerminalText from "./TerminalText.js"

const ansi = /\u001b\[[0-9;]*m/g

const plain = (args: ReadonlyArray<unknown>) => args.map((arg) => typeof arg === "string" ? arg.replace(ansi, "") : arg)

/**
 * Runs `effect` with the console's `log` (stdout) and `error` (stderr) filtered as above;
 * `colour` says whether stdout may keep its colours (a terminal, no `NO_COLOR`).
 *
 * @since 0.1.0
 */
export const withPlainConsole = (colour: boolean) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Console.consoleWith((console) =>
    Effect.withConsole(effect, {
      ...console,
      log: (...args) => console.log(...(colour ? args : plain(args))),
      error: (...args) =>
        console.error(
          ...plain(args).map((arg) =>
            typeof arg === "string" ? arg.split("\n").map(TerminalText.escape).join("\n") : arg
          )
        )
    })
  )

/**
 * Whether stdout may be coloured in this process: a terminal, and `NO_COLOR` unset or empty.
 *
 * @since 0.1.0
 */
export const colourful = (): boolean =>
  process.stdout.isTTY === true && (process.env.NO_COLOR === undefined || process.env.NO_COLOR === "")
