/**
 * Fault injection: given the options and the generator state, decides what happens to one
 * request. Pure, so the decision runs inside `Ref.modify` and replays from a seed.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import type { FaultOptions, FaultTarget } from "../Model.js"
import * as Prng from "./prng.js"

/** @internal */
export type Outcome =
  | { readonly _tag: "None" }
  | { readonly _tag: "RateLimited"; readonly retryAfterSeconds: number | undefined }
  | { readonly _tag: "ServerError"; readonly status: number; readonly nonJsonBody: boolean }
  | { readonly _tag: "Drop" }
  | { readonly _tag: "CommitThenFail"; readonly answer: "500" | "drop" }

/** @internal */
export interface Decision {
  readonly latencyMillis: number
  readonly outcome: Outcome
}

/** @internal */
export interface FaultState {
  readonly options: FaultOptions
  readonly prng: number
  readonly burstRemaining: number
  readonly used: {
    readonly rateLimitBursts: number
    readonly serverErrors: number
    readonly dropConnections: number
    readonly commitThenFail: number
  }
}

/** @internal */
export const initial = (options: FaultOptions, seed: number): FaultState => ({
  options,
  prng: options.seed ?? seed,
  burstRemaining: 0,
  used: { rateLimitBursts: 0, serverErrors: 0, dropConnections: 0, commitThenFail: 0 }
})

const none: Outcome = { _tag: "None" }

const available = (fault: { readonly times?: number | undefined }, used: number) =>
  fault.times === undefined || used < fault.times

/** @internal */
export const decide = (state: FaultState, target: FaultTarget): readonly [Decision, FaultState] => {
  if (state.options.when !== undefined && !state.options.when(target)) {
    return [{ latencyMillis: 0, outcome: none }, state]
  }
  const isWrite = target.method === "POST" || target.method === "PUT" || target.method === "DELETE"
  let prng = state.prng
  const roll = (probability: number | undefined): boolean => {
    const p = probability ?? 1
    if (p <= 0) return false
    const [x, s] = Prng.next(prng)
    prng = s
    return x < p
  }
  const { options, used } = state

  let latencyMillis = 0
  if (options.latency !== undefined && roll(options.latency.probability)) {
    const min = Duration.toMillis(options.latency.min)
    const max = options.latency.max === undefined ? min : Math.max(min, Duration.toMillis(options.latency.max))
    const [x, s] = Prng.next(prng)
    prng = s
    latencyMillis = Math.round(min + x * (max - min))
  }

  const bursts = options.rateLimitBursts
  if (bursts !== undefined && state.burstRemaining > 0) {
    return [
      { latencyMillis, outcome: { _tag: "RateLimited", retryAfterSeconds: bursts.retryAfterSeconds } },
      { ...state, prng, burstRemaining: state.burstRemaining - 1 }
    ]
  }
  if (bursts !== undefined && available(bursts, used.rateLimitBursts) && roll(bursts.probability)) {
    return [
      { latencyMillis, outcome: { _tag: "RateLimited", retryAfterSeconds: bursts.retryAfterSeconds } },
      {
        ...state,
        prng,
        burstRemaining: Math.max(1, bursts.length ?? 3) - 1,
        used: { ...used, rateLimitBursts: used.rateLimitBursts + 1 }
      }
    ]
  }
  const drop = options.dropConnections
  if (drop !== undefined && available(drop, used.dropConnections) && roll(drop.probability)) {
    return [
      { latencyMillis, outcome: { _tag: "Drop" } },
      { ...state, prng, used: { ...used, dropConnections: used.dropConnections + 1 } }
    ]
  }
  const errors = options.serverErrors
  if (errors !== undefined && available(errors, used.serverErrors) && roll(errors.probability)) {
    return [
      {
        latencyMillis,
        outcome: { _tag: "ServerError", status: errors.status ?? 500, nonJsonBody: errors.nonJsonBody ?? false }
      },
      { ...state, prng, used: { ...used, serverErrors: used.serverErrors + 1 } }
    ]
  }
  const commit = options.commitThenFail
  if (isWrite && commit !== undefined && available(commit, used.commitThenFail) && roll(commit.probability)) {
    return [
      { latencyMillis, outcome: { _tag: "CommitThenFail", answer: commit.answer ?? "500" } },
      { ...state, prng, used: { ...used, commitThenFail: used.commitThenFail + 1 } }
    ]
  }
  return [{ latencyMillis, outcome: none }, { ...state, prng }]
}
