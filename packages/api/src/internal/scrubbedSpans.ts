/**
 * The spans of the `HttpClient` (`httpClientSpans`), with their attribute values scrubbed: the
 * platform records every request and response header as an attribute, and a server or proxy
 * can echo the token (or a secret value of the body) in any header. Each span the installed
 * tracer makes is wrapped; the wrapper passes everything on, string values scrubbed.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Tracer from "effect/Tracer"

const scrubValue = (value: unknown, scrub: (text: string) => string): unknown =>
  typeof value === "string"
    ? scrub(value)
    : Array.isArray(value)
    ? value.map((item) => scrubValue(item, scrub))
    : value

class ScrubbedSpan implements Tracer.Span {
  readonly _tag = "Span"
  constructor(readonly span: Tracer.Span, readonly scrub: (text: string) => string) {}
  get name() {
    return this.span.name
  }
  get spanId() {
    return this.span.spanId
  }
  get traceId() {
    return this.span.traceId
  }
  get parent() {
    return this.span.parent
  }
  get context() {
    return this.span.context
  }
  get status() {
    return this.span.status
  }
  get attributes() {
    return this.span.attributes
  }
  get links() {
    return this.span.links
  }
  get sampled() {
    return this.span.sampled
  }
  get kind() {
    return this.span.kind
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.span.end(endTime, exit)
  }
  attribute(key: string, value: unknown): void {
    this.span.attribute(key, scrubValue(value, this.scrub))
  }
  event(name: string, startTime: bigint, attributes?: Record<string, unknown>): void {
    this.span.event(
      this.scrub(name),
      startTime,
      attributes === undefined
        ? undefined
        : Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, scrubValue(value, this.scrub)]))
    )
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.span.addLinks(links)
  }
}

const scrubbing = (tracer: Tracer.Tracer, scrub: (text: string) => string): Tracer.Tracer =>
  Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) =>
      new ScrubbedSpan(tracer.span(name, parent, context, links, startTime, kind, options), scrub),
    context: (f, fiber) => tracer.context(f, fiber)
  })

/**
 * Runs `self` (a request sent through the `HttpClient`) with every span it makes scrubbed by
 * `scrub`.
 *
 * @internal
 */
export const scrubbed = (scrub: (text: string) => string) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.tracerWith((tracer) => Effect.withTracer(self, scrubbing(tracer, scrub)))
