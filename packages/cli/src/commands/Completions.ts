/**
 * `effect-apify completions`: print the completion script for a shell.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import type * as CommandTree from "../CommandTree.js"
import * as Completions from "../Completions.js"
import { describe } from "./Define.js"

/**
 * `completions`, for the command tree `root` gives (the root command holds this one, so it is
 * asked for when the command runs).
 *
 * @since 0.1.0
 */
export const make = (root: () => CommandTree.Node) =>
  Command.make("completions", {
    shell: Args.choice(Completions.shells.map((shell) => [shell, shell] as const), { name: "shell" }).pipe(
      Args.withDescription(`the shell: ${Completions.shells.join(", ")}`)
    )
  }, ({ shell }) => Console.log(Completions.script(root(), shell).trimEnd())).pipe(
    Command.withDescription(describe(
      [
        "Print the completion script for a shell.",
        "Load it into the running shell with `source <(effect-apify completions bash)` (zsh the same, fish: " +
        "`effect-apify completions fish | source`); to install it, save it where the shell looks for " +
        "completions, as the examples do (bash needs the bash-completion package; zsh: restart it then)."
      ],
      [
        "effect-apify completions bash >> ~/.bash_completion",
        "effect-apify completions zsh > \"${fpath[1]}/_effect-apify\"",
        "cd ~/.config/fish/completions && effect-apify completions fish > effect-apify.fish"
      ]
    ))
  )
