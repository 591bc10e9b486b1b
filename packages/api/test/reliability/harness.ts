/**
 * Shared pieces of the reliability suite (issue 6): a seeded generator, memory and
 * active-resource probes, and a logger and a tracer that capture everything.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HashMap from "effect/HashMap"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"
import * as Fs from "node:fs"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as V8 from "node:v8"
import * as Vm from "node:vm"

/** Where the suites write their figures: `reports/reliability/` at the repository root (gitignored). */
export const reportDirectory = Path.resolve(
  Path.dirname(fileURLToPath(import.meta.url)),
  "../../../../reports/reliability"
)

/**
 * Writes one suite's figures to `reports/reliability/<name>.json` (replacing the last run's),
 * so that the test log stays quiet; the figures keep the seed they were drawn with.
 */
export const writeFigures = (name: string, figures: object): void => {
  Fs.mkdirSync(reportDirectory, { recursive: true })
  const file = Path.join(reportDirectory, `${name}.json`)
  const body = { suite: name, seed, writtenAt: new Date().toISOString(), ...figures }
  Fs.writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(body, null, 2)}\n`)
  Fs.renameSync(`${file}.${process.pid}.tmp`, file)
}

/** The suite's seed: `RELIABILITY_SEED` or a fixed default, so every run draws the same inputs. */
export const seed = Number(process.env.RELIABILITY_SEED ?? 20261122)

/** A small seeded generator (mulberry32): the same seed gives the same draws. */
export interface Rng {
  readonly next: () => number
  readonly int: (n: number) => number
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  readonly chance: (p: number) => boolean
}

export const rng = (s: number): Rng => {
  let state = s >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return {
    next,
    int,
    pick: <A>(items: ReadonlyArray<A>): A => items[int(items.length)] as A,
    chance: (p) => next() < p
  }
}

// ---------------------------------------------------------------------------
// memory and resources
// ---------------------------------------------------------------------------

let gcFn: (() => void) | undefined
/** Runs a full garbage collection (exposes `gc` at run time when Node was not started with it). */
export const gc = (): void => {
  if (gcFn === undefined) {
    const existing = (globalThis as { gc?: () => void }).gc
    if (existing !== undefined) {
      gcFn = existing
    } else {
      V8.setFlagsFromString("--expose-gc")
      gcFn = Vm.runInNewContext("gc") as () => void
    }
  }
  gcFn()
  gcFn()
}

export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10

/** Samples RSS and heap every few milliseconds while it runs; `stop` gives the peaks. */
export const memorySampler = (everyMillis = 5) => {
  const start = process.memoryUsage()
  let peakRss = start.rss
  let peakHeap = start.heapUsed
  const sample = () => {
    const m = process.memoryUsage()
    if (m.rss > peakRss) peakRss = m.rss
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed
  }
  const timer = setInterval(sample, everyMillis)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      return {
        startRss: start.rss,
        startHeap: start.heapUsed,
        peakRss,
        peakHeap,
        rssGrowth: peakRss - start.rss,
        heapGrowth: peakHeap - start.heapUsed
      }
    }
  }
}

/**
 * The kinds of handles and requests that keep the process alive (sockets, servers, timers),
 * counted. `getActiveResourcesInfo` also lists what vitest itself holds, so tests compare a
 * count after with the count before.
 */
export const activeResources = (): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

/** What is open now and was not before (by kind, with how many more). */
export const resourcesAdded = (
  before: Record<string, number>,
  after: Record<string, number>
): Record<string, number> => {
  const added: Record<string, number> = {}
  for (const [kind, n] of Object.entries(after)) {
    const more = n - (before[kind] ?? 0)
    if (more > 0) added[kind] = more
  }
  return added
}

/** Waits until nothing new is open (sockets close asynchronously), for at most `millis`. */
export const settleResources = (before: Record<string, number>, millis = 2000) =>
  Effect.promise(async () => {
    const deadline = Date.now() + millis
    let added = resourcesAdded(before, activeResources())
    while (Object.keys(added).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      added = resourcesAdded(before, activeResources())
    }
    return added
  })

// ---------------------------------------------------------------------------
// capture: logs and spans
// ---------------------------------------------------------------------------

export interface CapturedLog {
  readonly level: string
  readonly message: string
  readonly annotations: Record<string, unknown>
  readonly cause: string
}

/** A logger that keeps every line (message, annotations, cause) and prints nothing. */
export const captureLogs = () => {
  const logs: Array<CapturedLog> = []
  const logger = Logger.make<unknown, void>(({ annotations, cause, logLevel, message }) => {
    const record: Record<string, unknown> = {}
    for (const [key, value] of HashMap.toEntries(annotations)) record[key] = value
    logs.push({
      level: logLevel.label,
      message: Array.isArray(message) ? message.map(String).join(" ") : String(message),
      annotations: record,
      cause: cause._tag === "Empty" ? "" : Inspectable.toStringUnknown(cause)
    })
  })
  const layer = Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(LogLevel.All))
  return { logs, layer }
}

export interface CapturedSpan {
  readonly name: string
  readonly attributes: Record<string, unknown>
  readonly events: Array<{ readonly name: string; readonly attributes: Record<string, unknown> | undefined }>
  status: string
  /** The failure, serialised whole (headers of platform errors included). */
  cause: string
}

/** A tracer that records every span: name, attributes, events and how it ended. */
export const captureSpans = () => {
  const spans: Array<CapturedSpan> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const attributes = new Map<string, unknown>()
      const captured: CapturedSpan = { name, attributes: {}, events: [], status: "running", cause: "" }
      spans.push(captured)
      const span: { -readonly [K in keyof Tracer.Span]: Tracer.Span[K] } = {
        _tag: "Span",
        name,
        spanId: `span${spans.length}`,
        traceId: "trace",
        parent,
        context,
        links,
        sampled: true,
        kind,
        status: { _tag: "Started", startTime },
        attributes,
        end: (endTime, exit) => {
          // what a tracer such as @effect/opentelemetry records for a failed span
          captured.status = Exit.isSuccess(exit) ? "ok" : `failed: ${Cause.pretty(exit.cause)}`
          captured.cause = Exit.isSuccess(exit) ? "" : Inspectable.toStringUnknown(exit.cause)
          span.status = { _tag: "Ended", startTime, endTime, exit }
        },
        attribute: (key, value) => {
          attributes.set(key, value)
          captured.attributes[key] = value
        },
        event: (eventName, _startTime, eventAttributes) => {
          captured.events.push({ name: eventName, attributes: eventAttributes })
        },
        addLinks: () => {}
      }
      return span
    },
    context: (f) => f()
  })
  return { spans, layer: Layer.setTracer(tracer) }
}

/** Every string a value holds, however deep (for "the token appears nowhere"). */
export const allText = (value: unknown): string => {
  const seen = new Set<unknown>()
  const out: Array<string> = []
  const walk = (v: unknown, depth: number): void => {
    if (depth > 12) return
    if (typeof v === "string") {
      out.push(v)
      return
    }
    if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") {
      out.push(String(v))
      return
    }
    if (typeof v !== "object" || v === null || seen.has(v)) return
    seen.add(v)
    if (v instanceof Error) {
      out.push(v.message, v.stack ?? "", String(v))
    }
    if (v instanceof Map) {
      for (const [k, x] of v) {
        walk(k, depth + 1)
        walk(x, depth + 1)
      }
      return
    }
    for (const key of Reflect.ownKeys(v)) {
      if (typeof key === "string") out.push(key)
      walk((v as Record<PropertyKey, unknown>)[key], depth + 1)
    }
  }
  walk(value, 0)
  return out.join("\n")
}

/**
 * Tracks the timers created while it is installed (wrapping the global `setTimeout` and
 * `setInterval`): `live` is how many have neither fired nor been cleared. Used alongside
 * `activeResources`, which in a vitest worker does not list the timers a test creates.
 */
export const timerLedger = () => {
  const live = new Set<unknown>()
  const g = globalThis as unknown as Record<string, (...args: Array<unknown>) => unknown>
  const original = {
    setTimeout: g.setTimeout!,
    clearTimeout: g.clearTimeout!,
    setInterval: g.setInterval!,
    clearInterval: g.clearInterval!
  }
  g.setTimeout = (callback: unknown, ...rest: Array<unknown>) => {
    const handle: unknown = original.setTimeout((...args: Array<unknown>) => {
      live.delete(handle)
      return (callback as (...args: Array<unknown>) => unknown)(...args)
    }, ...rest)
    live.add(handle)
    return handle
  }
  g.clearTimeout = (handle: unknown) => {
    live.delete(handle)
    return original.clearTimeout(handle)
  }
  g.setInterval = (...args: Array<unknown>) => {
    const handle = original.setInterval(...args)
    live.add(handle)
    return handle
  }
  g.clearInterval = (handle: unknown) => {
    live.delete(handle)
    return original.clearInterval(handle)
  }
  return {
    live: () => live.size,
    restore: () => {
      g.setTimeout = original.setTimeout
      g.clearTimeout = original.clearTimeout
      g.setInterval = original.setInterval
      g.clearInterval = original.clearInterval
    }
  }
}

// ---------------------------------------------------------------------------
// a raw loopback server
// ---------------------------------------------------------------------------

/** A raw `node:http` server on 127.0.0.1, for answers the emulator never gives. */
export interface LoopbackServer {
  readonly url: string
  /** Destroys every open connection and stops listening. */
  readonly close: () => Promise<void>
}

/** Starts `handler` on a free loopback port, keeping track of its connections. */
export const listenLoopback = async (handler: Http.RequestListener): Promise<LoopbackServer> => {
  const server = Http.createServer(handler)
  const sockets = new Set<Net.Socket>()
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
