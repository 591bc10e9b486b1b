/**
 * The arguments more than one command takes: the Actor, the version number, the env var name,
 * the Actor directory.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"

/**
 * An Actor: its ID or `username~actor-name`.
 *
 * @since 0.1.0
 */
export const actor = Args.text({ name: "actor" }).pipe(
  Args.withDescription("Actor ID or username~actor-name (username/actor-name works too)")
)

/**
 * A version number, `MAJOR.MINOR`.
 *
 * @since 0.1.0
 */
export const version = Args.text({ name: "version" }).pipe(
  Args.withDescription("version number, MAJOR.MINOR (e.g. 0.1)")
)

/**
 * An environment variable's name.
 *
 * @since 0.1.0
 */
export const envName = Args.text({ name: "name" }).pipe(Args.withDescription("environment variable name"))

/**
 * An Actor directory, optional (the current directory), completed as a directory. Not
 * `Args.directory`: a file given there reaches the command, which names what is wrong as every
 * failure is named, instead of @effect/cli's bare `Expected path '...' to be a directory`.
 *
 * @since 0.1.0
 */
export const actorDirectory = Args.path({ name: "dir" }).pipe(
  Args.withDescription("the Actor directory (default: the current directory)"),
  Args.optional
)
