/**
 * `effect-apify emulator`: serve the Apify API emulator on loopback.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Flags from "../Flags.js"
import { describe, handlers } from "./Define.js"

/**
 * `emulator` (no common options: it is the server, not a client).
 *
 * @since 0.1.0
 */
export const command = Command.make("emulator", {
  port: Flags.wholeNumber("port", 0, 65535).pipe(
    Options.withAlias("p"),
    Options.withDescription("port to listen on (0 = a free one)"),
    Options.optional
  ),
  token: Options.text("token").pipe(
    Options.withAlias("t"),
    Options.withDescription("token of the emulator's user"),
    Options.optional
  )
}, handlers("Emulator")("serve")).pipe(
  Command.withDescription(describe(
    [
      "Serve the Apify API emulator on 127.0.0.1 until interrupted.",
      "The first line printed is its base URL, then its token and user."
    ],
    [
      "effect-apify emulator --port 8080",
      "effect-apify versions list owner~my-actor --base-url http://127.0.0.1:8080 --token apify_api_owner_test_token"
    ]
  ))
)
