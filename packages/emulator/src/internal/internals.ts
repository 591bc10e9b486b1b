/**
 * What every request of one emulator shares: its users, state, counters, fault and rate limit
 * settings, and limits.
 *
 * @internal
 */
import type * as Chunk from "effect/Chunk"
import type * as HashMap from "effect/HashMap"
import type * as Ref from "effect/Ref"
import type { RateLimitOptions, RequestRecord, User } from "../Model.js"
import type * as BuildStore from "./buildStore.js"
import type * as Faults from "./faults.js"
import type * as KvStore from "./kvStore.js"
import type * as State from "./state.js"

/**
 * One Actor's (or one user's) token bucket.
 *
 * @internal
 */
export interface Bucket {
  readonly tokens: number
  readonly at: number
}

/** @internal */
export interface Internals {
  readonly users: ReadonlyArray<User>
  readonly state: Ref.Ref<State.State>
  readonly requests: Ref.Ref<number>
  readonly faults: Ref.Ref<Faults.FaultState>
  readonly rateLimit: Ref.Ref<RateLimitOptions | false>
  readonly buckets: Ref.Ref<HashMap.HashMap<string, Bucket>>
  readonly ids: Ref.Ref<number>
  readonly log: Ref.Ref<Chunk.Chunk<RequestRecord>>
  readonly maxBodyBytes: number
  readonly maxEnvVarsPerVersion: number
  readonly builds: Ref.Ref<BuildStore.Builds>
  readonly stores: Ref.Ref<KvStore.Stores>
  /** How long a build runs. */
  readonly buildMillis: number
  /** The largest record value, after decompression. */
  readonly maxRecordBytes: number
  /** Whether a record read without a signature is answered with a 302 to its signed URL. */
  readonly recordRedirects: boolean
}
