/**
 * Checks of the numbers in the client's and the retry policy's options: each finite and in its
 * range, so that `NaN`, a negative or an infinite value is refused with words naming the
 * option instead of quietly meaning "no limit" or "time out at once".
 *
 * @internal
 */
import * as Duration from "effect/Duration"

/**
 * The longest time a timer can hold (`setTimeout` fires at once for longer ones): 2^31 - 1 ms,
 * about 24.8 days.
 *
 * @internal
 */
export const maxTimerMillis = 2 ** 31 - 1

const shown = (value: unknown): string =>
  typeof value === "string" ? JSON.stringify(value) : typeof value === "bigint" ? `${value}n` : String(value)

/**
 * What is wrong with a whole number option, or `undefined` when it is within `[min, max]`.
 *
 * @internal
 */
export const integerProblem = (name: string, value: unknown, min: number, max: number): string | undefined =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
    ? undefined
    : `the option ${name} is ${shown(value)}; it must be a whole number from ${min} to ${max}`

/**
 * The millisecond count of a duration option, or what is wrong with it: it must decode, be
 * finite and lie within `[minMillis, maxMillis]`. A number counts as milliseconds.
 *
 * @internal
 */
export const duration = (
  name: string,
  value: Duration.DurationInput,
  minMillis: number,
  maxMillis: number
): { readonly duration: Duration.Duration; readonly problem: string | undefined } => {
  const range = `from ${Duration.format(Duration.millis(minMillis))} to ${Duration.format(Duration.millis(maxMillis))}`
  const bad = {
    duration: Duration.zero,
    problem: `the option ${name} is ${shown(value)}; it must be a duration ${range}`
  }
  // Duration.decode reads NaN and negative numbers as 0, and throws on text it cannot read
  if (typeof value === "number" && !Number.isFinite(value)) return bad
  let decoded: Duration.Duration
  try {
    decoded = Duration.decode(value)
  } catch {
    return bad
  }
  const millis = Duration.toMillis(decoded)
  if (typeof value === "number" && value < 0) return bad
  return Number.isFinite(millis) && millis >= minMillis && millis <= maxMillis
    ? { duration: decoded, problem: undefined }
    : { duration: decoded, problem: bad.problem }
}
