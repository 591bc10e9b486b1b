/**
 * `effect-apify emulator`: serves the Apify API emulator on loopback until interrupted.
 * The first line on stdout is the base URL; then the token and the user. Loaded only by this
 * command.
 *
 * @since 0.1.0
 */
import { Emulator } from "@effect-apify/emulator"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as CliError from "../CliError.js"
import * as ExitCodes from "../ExitCodes.js"

/**
 * Serves the emulator until the process is interrupted (Ctrl-C, SIGTERM).
 *
 * @since 0.1.0
 */
export const serve = (args: { readonly port: Option.Option<number>; readonly token: Option.Option<string> }) =>
  Effect.scoped(
    Effect.gen(function*() {
      const port = Option.getOrElse(args.port, () => 0)
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        yield* Console.error(`Error: start the emulator failed: port ${port} is not valid. Hint: use 0-65535.`)
        return yield* new CliError.Exit({ code: ExitCodes.ExitCode.invalidInput })
      }
      const server = yield* Emulator.serve({
        port,
        host: "127.0.0.1",
        ...Option.match(args.token, { onNone: () => ({}), onSome: (token) => ({ token }) })
      }).pipe(
        Effect.catchAll((error) =>
          Console.error(
            `Error: start the emulator failed: ${error.message}. Hint: choose another --port, or 0 for a free one.`
          ).pipe(Effect.zipRight(Effect.fail(new CliError.Exit({ code: ExitCodes.ExitCode.failure }))))
        )
      )
      yield* Console.log(server.url)
      yield* Console.log(`token: ${server.owner.token}`)
      yield* Console.log(`user:  ${server.owner.username} (${server.owner.id})`)
      return yield* Effect.never
    })
  )
