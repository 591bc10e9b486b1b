import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { Actor } from "../src/index.js"

const encode = (body: unknown) => {
  const result = Schema.encodeUnknownEither(Actor.CreateActor)(body)
  return Either.isLeft(result) ? ParseResult.TreeFormatter.formatErrorSync(result.left) : "ok"
}

const version = (versionNumber: string) => ({
  versionNumber,
  sourceType: "SOURCE_FILES",
  sourceFiles: []
})

describe("CreateActor guards (issue 11)", () => {
  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "refuses %s in default run options, naming the field",
    (bad) => {
      const message = encode({ name: "my-actor", defaultRunOptions: { memoryMbytes: bad } })
      expect(message).toContain("defaultRunOptions.memoryMbytes must be a finite number")
    }
  )

  it("refuses a non-finite number deep in free-form example input", () => {
    const message = encode({ name: "my-actor", pricingInfos: [{ pricingModel: "FREE", x: [1, Number.NaN] }] })
    expect(message).toContain("pricingInfos.0.x.1 must be a finite number")
  })

  it("refuses duplicate version numbers, naming versions", () => {
    const message = encode({ name: "my-actor", versions: [version("0.1"), version("0.1")] })
    expect(message).toContain("versions lists version 0.1 more than once")
  })

  it("refuses a pricing entry without pricingModel (the answer decoder could not read it)", () => {
    const message = encode({ name: "my-actor", pricingInfos: [{ pricePerUnitUsd: 1 }] })
    expect(message).toContain("pricingModel")
    expect(message).not.toBe("ok")
  })

  it("accepts a sound body", () => {
    expect(
      encode({
        name: "my-actor",
        versions: [version("0.1"), version("0.2")],
        defaultRunOptions: { memoryMbytes: 1024 }
      })
    ).toBe("ok")
  })
})
