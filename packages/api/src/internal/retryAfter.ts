/**
 * The `Retry-After` header: delta-seconds or an HTTP date, anything else absent.
 *
 * @internal
 */

// The three HTTP-date forms (RFC 9110 5.6.7): IMF-fixdate, RFC 850 and asctime. Anything else
// (`soon 2099`, `-1`, `2, 3`, a bare year) is no Retry-After at all: the normal backoff applies.
const httpDate =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/

/**
 * The wait `value` asks for, in milliseconds from `now`, or `undefined` when it is absent or
 * not a valid `Retry-After`.
 *
 * @internal
 */
export const parse = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  // delta-seconds: digits only (a fraction is tolerated)
  if (/^\d{1,15}(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  if (!httpDate.test(trimmed)) return undefined
  const date = Date.parse(trimmed.endsWith("GMT") ? trimmed : `${trimmed} GMT`)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
