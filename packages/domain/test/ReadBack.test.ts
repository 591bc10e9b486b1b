import { Actor, EnvVar, Limits, PricingInfo, RequestBody, Version, VersionRequest } from "@effect-apify/domain"
/* eslint-disable @typescript-eslint/no-explicit-any -- one table over request shapes of different types */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** What the server receives: the encoded body after JSON (NaN would become null, -0 becomes 0). */
const wire = <A, I>(schema: Schema.Schema<A, I>, value: A): I =>
  JSON.parse(JSON.stringify(Schema.encodeSync(schema)(value)))

/** The answer decoded and encoded again: the fields the client reads back, as JSON. */
const readBack = <A, I>(schema: Schema.Schema<A, I>, answer: unknown): unknown =>
  JSON.parse(JSON.stringify(Schema.encodeSync(schema)(Schema.decodeUnknownSync(schema)(answer))))

/** Answers read `null` as absent: what was sent, with every `null` field dropped. */
const withoutNulls = (value: unknown): unknown =>
  Array.isArray(value) ?
    value.map(withoutNulls) :
    typeof value === "object" && value !== null ?
    Object.fromEntries(
      Object.entries(value).filter(([, inner]) => inner !== null).map(([k, v]) => [k, withoutNulls(v)])
    ) :
    value

const models = [
  PricingInfo.PayPerEvent,
  PricingInfo.PricePerDatasetItem,
  PricingInfo.FlatPricePerMonth,
  PricingInfo.Free
]
const pricingFields = new Set(models.flatMap((model) => Object.keys(model.fields)))

/** A pricing entry as the answer models it: keys its model does not have are dropped on read. */
const modelled = (entry: Record<string, unknown>) => {
  const model = models.find((m) => m.fields.pricingModel.literals[0] === entry.pricingModel) ??
    PricingInfo.UnknownPricing
  return Object.fromEntries(Object.entries(entry).filter(([key]) => Object.hasOwn(model.fields, key)))
}

const stored = { id: "zdc3Pyhyz3m8vjDeM", userId: "ownerUserId000001", username: "owner" }
const times = { createdAt: "2026-01-01T00:00:00.000Z", modifiedAt: "2026-01-01T00:00:00.000Z" }

const seed = 20261202

/** How the body with `value` is refused when decoded, as the emulator and the encoder both check it. */
const refusal = <A, I>(schema: Schema.Schema<A, I>, value: unknown): string => {
  const result = Schema.decodeUnknownEither(schema)(value)
  return Either.isLeft(result) ? ParseResult.TreeFormatter.formatErrorSync(result.left) : "accepted"
}

/** Every path to a leaf of a JSON value. */
const leaves = (value: unknown, path: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> =>
  typeof value === "object" && value !== null ?
    Object.entries(value).flatMap(([key, inner]) =>
      leaves(inner, [...path, Array.isArray(value) ? Number(key) : key])
    ) :
    [path]

const replaceAt = (value: unknown, path: ReadonlyArray<string | number>, leaf: unknown): unknown => {
  if (path.length === 0) return leaf
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((inner, i) => (i === head ? replaceAt(inner, rest, leaf) : inner))
  const record = value as Record<string, unknown>
  return { ...record, [head!]: replaceAt(record[head!], rest, leaf) }
}

/** A request shape, and how the server's answer to it is read back. */
interface Case {
  readonly label: string
  readonly schema: Schema.Schema<any, any, never>
  /** Checks that the answer to `sent` (the body as JSON) decodes and holds what was sent. */
  readonly check: (sent: any) => void
}

const cases: ReadonlyArray<Case> = [
  {
    label: "create version -> Version",
    schema: VersionRequest.CreateVersion,
    check: (sent) => {
      expect(readBack(Version.Version, sent)).toMatchObject(withoutNulls(sent) as object)
    }
  },
  {
    label: "update version over a stored version -> Version",
    schema: VersionRequest.UpdateVersion,
    check: (sent) => {
      const base = { versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "https://x.test/r", buildTag: "b" }
      const back = readBack(Version.Version, { ...base, ...sent })
      expect(back).toMatchObject(withoutNulls(sent) as object)
      if (sent.buildTag === null) expect(back).not.toHaveProperty("buildTag")
    }
  },
  {
    label: "env var -> EnvVar",
    schema: EnvVar.EnvVarRequest,
    check: (sent) => {
      expect(readBack(EnvVar.EnvVar, sent)).toMatchObject(sent)
    }
  },
  {
    label: "create Actor -> Actor",
    schema: Actor.CreateActor,
    check: (sent) => {
      const back = readBack(Actor.Actor, { ...sent, ...stored, ...times })
      const { pricingInfos, ...rest } = sent
      expect(back).toMatchObject(withoutNulls(rest) as object)
      if (pricingInfos !== undefined) {
        expect(back).toMatchObject({ pricingInfos: pricingInfos.map(modelled).map(withoutNulls) })
      }
    }
  }
]

/** A valid body as JSON with one field (an existing leaf, or a field the answer models) set to any JSON value. */
const mutated = (schema: Schema.Schema<any, any>) =>
  Arbitrary.make(schema).chain((body) => {
    const sent = wire(schema, body)
    const paths = leaves(sent)
    const added = [...pricingFields].flatMap((key) =>
      (sent.pricingInfos ?? []).map((_: unknown, i: number) => ["pricingInfos", i, key])
    )
    return FastCheck.tuple(FastCheck.constantFrom(...paths, ...added), FastCheck.jsonValue({ maxDepth: 3 }))
      .map(([path, value]) => replaceAt(sent, path, value))
  })

describe("everything the client can send, it can read back (issue 11)", () => {
  for (const { check, label, schema } of cases) {
    it.prop(label, [Arbitrary.make(schema)], ([body]) => {
      check(wire(schema, body))
    }, {
      fastCheck: { seed, numRuns: 100 },
      timeout: 30_000
    })

    it.prop(`${label}: a body with one field set to any JSON value is refused, or read back`, [mutated(schema)], ([
      input
    ]) => {
      const accepted = Schema.decodeUnknownEither(schema)(input)
      if (Either.isRight(accepted)) check(wire(schema, accepted.right))
    }, { fastCheck: { seed, numRuns: 100 }, timeout: 30_000 })
  }

  it("a pricing entry whose known fields have the wrong type is refused (the answer could not read it)", () => {
    expect(refusal(Actor.CreateActor, { name: "my-actor", pricingInfos: [{ pricingModel: "FREE", createdAt: 5 }] }))
      .toContain("Expected string, actual 5")
    expect(
      refusal(Actor.CreateActor, {
        name: "my-actor",
        pricingInfos: [{ pricingModel: "PAY_PER_EVENT", pricingPerEvent: 5 }]
      })
    ).toContain("pricingPerEvent")
    expect(refusal(Actor.CreateActor, { name: "my-actor", pricingInfos: [{ pricingModel: "NEW_MODEL", extra: [1] }] }))
      .toBe("accepted")
  })
})

const nonFinite = FastCheck.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)

describe("no request body sends NaN or ±Infinity (they would be sent as null)", () => {
  for (const { label, schema } of cases) {
    const sample = Arbitrary.make(schema as Schema.Schema<unknown, unknown>).chain((body) => {
      const paths = leaves(JSON.parse(JSON.stringify(Schema.encodeSync(schema as Schema.Schema<unknown>)(body))))
      return FastCheck.tuple(FastCheck.constant(body), FastCheck.constantFrom(...paths), nonFinite).map((
        [body, path, bad]
      ) => [wire(schema as Schema.Schema<unknown>, body), path, bad] as const)
    })
    it.prop(
      `${label}: a non-finite number at any leaf is refused, naming the leaf`,
      [sample],
      ([[sent, path, bad]]) => {
        const message = refusal(schema as Schema.Schema<unknown, unknown>, replaceAt(sent, path, bad))
        expect(message).not.toBe("accepted")
        if (path.length > 0) expect(message).toContain(String(path[path.length - 1]))
      },
      { fastCheck: { seed, numRuns: 100 } }
    )
  }
})

describe("no request body nests deeper than its answer can hold", () => {
  const nested = (depth: number): unknown => {
    let value: unknown = {}
    for (let i = 1; i < depth; i++) value = [value]
    return value
  }
  // the body's own object and the pricingInfos array and entry are three levels
  const pricing = (depth: number) => ({
    name: "my-actor",
    pricingInfos: [{ pricingModel: "FREE", x: nested(depth - 3) }]
  })

  it("a Create Actor body at the limit is accepted, one level more is refused naming the path", () => {
    expect(refusal(Actor.CreateActor, pricing(Limits.maxRequestDepth))).toBe("accepted")
    const message = refusal(Actor.CreateActor, pricing(Limits.maxRequestDepth + 1))
    expect(message).toContain(`nests arrays and objects deeper than ${Limits.maxRequestDepth} levels`)
    expect(message).toMatch(/pricingInfos\.0\.x\.0\.0/)
  })

  it("a 20,000-deep body is refused without overflowing the stack", () => {
    expect(refusal(Actor.CreateActor, pricing(20_000))).toContain("deeper than")
    expect(RequestBody.problem(nested(20_000))).toMatchObject({ message: expect.stringContaining("deeper than") })
  })

  it("the answer that holds a body at the limit is within what the client reads", () => {
    expect(Limits.maxRequestDepth + 3).toBeLessThanOrEqual(Limits.maxAnswerDepth)
  })
})
