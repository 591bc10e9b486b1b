/**
 * Flags that make no sense together, declared once next to a command's options: two that
 * exclude each other, one that applies only with another, and a common flag a command has no
 * use for. `checked` puts the rules in front of the command's handler: arguments that break
 * one are a usage error (exit 2) naming both flags, before anything is loaded or sent.
 *
 * @since 0.1.0
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"

/**
 * A rule over the boolean options `K` of a command (by their keys in its config).
 *
 * @since 0.1.0
 */
export type Rule<K extends string> =
  | { readonly _tag: "Excludes"; readonly flag: K; readonly other: K; readonly why: string }
  | { readonly _tag: "Requires"; readonly flag: K; readonly needs: K }
  | { readonly _tag: "Refuses"; readonly flag: K; readonly why: string }

/**
 * `flag` and `other` cannot be given together; `why` says what makes them clash.
 *
 * @since 0.1.0
 */
export const excludes = <K extends string>(flag: K, other: K, why: string): Rule<K> => ({
  _tag: "Excludes",
  flag,
  other,
  why
})

/**
 * `flag` applies only with `needs`.
 *
 * @since 0.1.0
 */
export const requires = <K extends string>(flag: K, needs: K): Rule<K> => ({ _tag: "Requires", flag, needs })

/**
 * `flag` (a common option) has no use in this command; `why` says what to do instead.
 *
 * @since 0.1.0
 */
export const refuses = <K extends string>(flag: K, why: string): Rule<K> => ({ _tag: "Refuses", flag, why })

/**
 * The option an option key stands for: `dryRun` is `--dry-run`.
 *
 * @since 0.1.0
 */
export const flagName = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

/**
 * What is wrong with `args` by `rules`: the first rule broken, as a sentence, or `undefined`.
 *
 * @since 0.1.0
 */
export const problem = <K extends string>(
  rules: ReadonlyArray<Rule<K>>,
  args: { readonly [P in K]: boolean }
): string | undefined => {
  for (const rule of rules) {
    if (!args[rule.flag]) continue
    switch (rule._tag) {
      case "Excludes":
        if (args[rule.other]) {
          return `${flagName(rule.flag)} and ${flagName(rule.other)} cannot be used together: ${rule.why}.`
        }
        break
      case "Requires":
        if (!args[rule.needs]) return `${flagName(rule.flag)} applies only with ${flagName(rule.needs)}.`
        break
      case "Refuses":
        return `${flagName(rule.flag)} does not apply to this command: ${rule.why}.`
    }
  }
  return undefined
}

/**
 * `handler` behind `rules`: arguments that break one fail with a usage error (exit 2, with a
 * pointer to the command's help) instead of running it.
 *
 * @since 0.1.0
 */
export const checked = <K extends string, A extends { readonly [P in K]: boolean }, E, R>(
  rules: ReadonlyArray<Rule<K>>,
  handler: (args: A) => Effect.Effect<void, E, R>
) =>
(args: A): Effect.Effect<void, E | ValidationError.ValidationError, R> => {
  const broken = problem(rules, args)
  return broken === undefined ? handler(args) : Effect.fail(ValidationError.invalidValue(HelpDoc.p(broken)))
}
