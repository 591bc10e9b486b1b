/**
 * The `effect-apify` command tree. This module is what every start of the command line
 * loads, so it holds only the command definitions (`commands/`): the handlers (`handlers/`),
 * the HTTP stack and the emulator are imported on demand by the commands that use them, and
 * `--help` loads none of them.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Argv from "./Argv.js"
import * as CliError from "./CliError.js"
import * as Actors from "./commands/Actors.js"
import * as Builds from "./commands/Builds.js"
import * as CompletionsCommand from "./commands/Completions.js"
import { describe } from "./commands/Define.js"
import * as Emulator from "./commands/Emulator.js"
import * as Env from "./commands/Env.js"
import * as Versions from "./commands/Versions.js"
import * as CommandTree from "./CommandTree.js"
import * as Completions from "./Completions.js"
import * as ExitCodes from "./ExitCodes.js"
import * as Flags from "./Flags.js"
import * as Help from "./Help.js"

/**
 * The longest `--timeout`, in seconds (`Flags.maxTimeoutSeconds`).
 *
 * @since 0.1.0
 */
export const maxTimeoutSeconds: number = Flags.maxTimeoutSeconds

/**
 * The options every leaf command takes after its arguments (`Flags.commonOptions`).
 *
 * @since 0.1.0
 */
export const commonOptions: typeof Flags.commonOptions = Flags.commonOptions

/**
 * The parsed common options.
 *
 * @since 0.1.0
 */
export type CommonFlags = Flags.CommonFlags

/**
 * The parsed source and settings options of `versions create` and `versions update`.
 *
 * @since 0.1.0
 */
export type SourceFlags = Flags.SourceFlags

/**
 * The root command.
 *
 * @since 0.1.0
 */
export const command = Command.make("effect-apify").pipe(
  Command.withDescription(describe(
    "Manage Apify Actors, their versions and environment variables.",
    [
      "effect-apify versions list janedoe~my-actor",
      "effect-apify versions push janedoe~my-actor ./my-actor --dry-run",
      "effect-apify emulator --port 8080"
    ]
  )),
  Command.withSubcommands([
    Actors.command,
    Versions.command,
    Env.command,
    Builds.command,
    Emulator.command,
    CompletionsCommand.make(() => tree())
  ])
)

/**
 * The root command as plain data (`CommandTree`).
 *
 * @since 0.1.0
 */
export function tree(): CommandTree.Node {
  return CommandTree.fromCommand(command)
}

/**
 * The version `--version` prints.
 *
 * @since 0.1.0
 */
export const version = "0.1.0"

const runCommand = Command.run(command, { name: "effect-apify", version, executable: "effect-apify" })

// @effect/cli prints its parse errors on stderr itself; they are printed by `main` instead, in
// the `Error: ...` form with secrets redacted. What handlers print goes through.
const withoutParserErrors = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Console.consoleWith((console) =>
    Effect.withConsole(effect, {
      ...console,
      error: (...args) => Effect.flatMap(FiberRef.get(Argv.handling), (on) => on ? console.error(...args) : Effect.void)
    })
  )

/**
 * The first option given an empty value (`--env ""` or `--base-url=`), which @effect/cli
 * would otherwise drop silently.
 *
 * @since 0.1.0
 */
export const emptyOptionValue = (args: ReadonlyArray<string>): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") return undefined
    if (/^--[a-z-]+=$/.test(arg)) return arg.slice(0, -1)
    if (/^--[a-z-]+$/.test(arg) && args[i + 1] === "") return arg
  }
  return undefined
}

const usageError = (message: string) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(message)))

/**
 * Runs the command line on `process.argv`-style arguments.
 *
 * @since 0.1.0
 */
export const run = (argv: ReadonlyArray<string>) => {
  const args = argv.slice(2)
  const root = tree()
  const shell = Completions.shells.find((name) => args[0] === "--completions" && args[1] === name)
  if (shell !== undefined && args.length === 2) return Console.log(Completions.script(root, shell).trimEnd())
  if (args.length === 1 && args[0] === "--version") return Console.log(version)
  const request = Help.classify(root, args)
  switch (request._tag) {
    case "Help":
      return Console.log(Help.render(request.node, Help.terminalWidth()).trimEnd())
    case "Unknown":
      // Usage errors: the message, then the group's own help, on stderr; exit 2.
      return Console.error(
        `Error: ${Argv.redact(request.message, Argv.secretValues(args))}\n\n${
          Help.render(request.node, Help.terminalWidth())
        }`
      ).pipe(
        Effect.zipRight(Effect.fail(new CliError.Exit({ code: ExitCodes.ExitCode.invalidInput })))
      )
    case "Invalid":
      return usageError(request.message)
  }
  const empty = emptyOptionValue(request.args)
  return empty === undefined
    ? withoutParserErrors(runCommand([...argv.slice(0, 2), ...request.args]))
    : usageError(`${empty} was given an empty value`)
}

// The command a usage error is about, e.g. `effect-apify env set`, from the arguments.
const usagePath = (args: ReadonlyArray<string>): string => CommandTree.find(tree(), args.slice(0, 2)).path.join(" ")

const ansi = /\u001b\[[0-9;]*m/g

// A parse error in one `Error: ...` line (several lines when @effect/cli gave several).
const parseMessage = (error: unknown): string => {
  const text = ValidationError.isValidationError(error) && "error" in error
    ? HelpDoc.toAnsiText(error.error).replace(ansi, "").trim()
    : ""
  return text === "" ? "invalid arguments" : text.replace(/^Error: /, "")
}

/**
 * Runs the command line and gives the exit code of the outcome: 0, the code of a failure a
 * command reported (`CliError.Exit`), or 2 for a usage error (@effect/cli has printed what is
 * wrong; a hint says where to look). Interruption and defects are left to the caller.
 *
 * @since 0.1.0
 */
export const main = (argv: ReadonlyArray<string>) =>
  run(argv).pipe(
    Effect.as(0),
    Effect.catchAll((error: unknown) =>
      error instanceof CliError.Exit
        ? Effect.succeed(error.code)
        : Effect.as(
          Console.error(
            Argv.redact(
              `Error: ${parseMessage(error)}\nHint: see \`${usagePath(argv.slice(2))} --help\`.`,
              Argv.secretValues(argv.slice(2))
            )
          ),
          ExitCodes.ExitCode.invalidInput
        )
    )
  )
