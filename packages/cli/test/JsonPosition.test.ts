import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import * as JsonPosition from "../src/JsonPosition.js"

const parses = (text: string): boolean => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** JSON text, and JSON text with one character inserted, removed or replaced. */
const texts = FastCheck.tuple(
  FastCheck.jsonValue().map((value) => JSON.stringify(value, null, 2)),
  FastCheck.nat(),
  FastCheck.constantFrom(...(["insert", "remove", "replace", "none"] as const)),
  FastCheck.constantFrom(..."{}[]\",:\\ \n\t0-.eEtfnu\u0000x")
).map(([text, at, edit, c]): string => {
  const i = text.length === 0 ? 0 : at % text.length
  const edited = {
    insert: text.slice(0, i) + c + text.slice(i),
    remove: text.slice(0, i) + text.slice(i + 1),
    replace: text.slice(0, i) + c + text.slice(i + 1),
    none: text
  }
  return edited[edit]
})

describe("JsonPosition", () => {
  it.prop("finds an error exactly when JSON.parse refuses the text", [texts], ([text]) => {
    expect(JsonPosition.firstError(text) === undefined).toBe(parses(text))
  }, { fastCheck: { seed: 20261202, numRuns: 2000 } })

  it.prop("finds an error in any string JSON.parse refuses", [FastCheck.string({ maxLength: 12 })], ([text]) => {
    expect(JsonPosition.firstError(text) === undefined).toBe(parses(text))
  }, { fastCheck: { seed: 20261202, numRuns: 2000 } })

  it.each([
    [`{\n  "a": "x",\n  "key": s3cr3t\n}`, " at line 3, column 10"],
    [`{ "a": 1 "b": 2 }`, " at line 1, column 10"],
    [`{ "a": "unterminated`, " at line 1, column 8"],
    [`[1, 2,]`, " at line 1, column 7"],
    [`{"a": 1}`, ""]
  ])("says where %j goes wrong: %j", (text, where) => {
    expect(JsonPosition.describe(text)).toBe(where)
  })

  it("does not overflow the stack on a deep file", () => {
    expect(JsonPosition.firstError("[".repeat(200_000))).toBe(200_000)
  })
})
