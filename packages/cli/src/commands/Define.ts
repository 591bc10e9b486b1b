/**
 * What every command definition is made of: its help text (`describe`), the leaf command with
 * the common options after its own (`leaf`), and the handler it runs, loaded on demand
 * (`handlers(module)` gives `lazy(name)`). The handler modules are imported only when a
 * command runs, so `--help` and usage errors load none of them, nor the client or the HTTP
 * stack.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Span from "@effect/cli/HelpDoc/Span"
import * as Effect from "effect/Effect"
import type * as Types from "effect/Types"
import * as Argv from "../Argv.js"
import * as Flags from "../Flags.js"

/**
 * A command's help: a one-line summary, more paragraphs if any, then the examples.
 *
 * @since 0.1.0
 */
export const describe = (text: string | ReadonlyArray<string>, examples: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    ...(typeof text === "string" ? [text] : text).map((paragraph) => HelpDoc.p(paragraph)),
    HelpDoc.p("Examples:"),
    ...examples.map((example) => HelpDoc.p(Span.code(`  $ ${example}`)))
  ])

/**
 * The handler modules, each loaded when one of its commands runs.
 *
 * @since 0.1.0
 */
export const modules = {
  Actors: () => import("../handlers/Actors.js"),
  Versions: () => import("../handlers/Versions.js"),
  Push: () => import("../handlers/Push.js"),
  Pull: () => import("../handlers/Pull.js"),
  Plan: () => import("../handlers/Plan.js"),
  Env: () => import("../handlers/Env.js"),
  Builds: () => import("../handlers/Builds.js"),
  Emulator: () => import("../handlers/Emulator.js")
}

type Modules = { readonly [M in keyof typeof modules]: Awaited<ReturnType<(typeof modules)[M]>> }

type Handler<A, E, R> = (args: A) => Effect.Effect<void, E, R>

/**
 * The names of a module's handlers: its exports that take parsed arguments and give an effect.
 *
 * @since 0.1.0
 */
export type HandlerName<M> = {
  readonly [K in keyof M]: M[K] extends (args: never) => Effect.Effect<unknown, unknown, unknown> ? K : never
}[keyof M]

type ArgsOf<H> = H extends (args: infer A) => Effect.Effect<unknown, unknown, unknown> ? A : never
type ErrorOf<H> = H extends (args: never) => Effect.Effect<unknown, infer E, unknown> ? E : never
type ContextOf<H> = H extends (args: never) => Effect.Effect<unknown, unknown, infer R> ? R : never

/**
 * `lazy(name)` for one handler module: the command's handler that loads the module on its
 * first run and calls its export `name` (`handlers("Actors")("actorsGet")`).
 *
 * @since 0.1.0
 */
export const handlers = <M extends keyof Modules>(module: M) =>
<K extends HandlerName<Modules[M]>>(
  name: K
): Handler<ArgsOf<Modules[M][K]>, ErrorOf<Modules[M][K]>, ContextOf<Modules[M][K]>> =>
(args) =>
  Effect.locally(Argv.handling, true)(Effect.flatMap(
    Effect.promise(() => modules[module]() as Promise<Modules[M]>),
    (loaded) => (loaded[name] as Handler<ArgsOf<Modules[M][K]>, ErrorOf<Modules[M][K]>, ContextOf<Modules[M][K]>>)(args)
  ))

/**
 * Loads every handler module (the build runs this to put their compiled code in the cache).
 *
 * @since 0.1.0
 */
export const loadAll: Effect.Effect<void> = Effect.promise(() =>
  Promise.all(Object.values(modules).map((load) => load()))
)

/**
 * A leaf command: its arguments and options, then the common options (`Flags.commonOptions`),
 * its handler, and its help.
 *
 * @since 0.1.0
 */
export const leaf = <Name extends string, const Config extends Command.Command.Config, E, R>(
  name: Name,
  config: Config,
  handler: Handler<Types.Simplify<Command.Command.ParseConfig<Config & typeof Flags.commonOptions>>, E, R>,
  help: HelpDoc.HelpDoc
) => Command.make(name, { ...config, ...Flags.commonOptions }, handler).pipe(Command.withDescription(help))
