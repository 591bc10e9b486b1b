/**
 * Malformed ~/.apify/secrets.json and ~/.apify/auth.json (issue 11): the error names the file
 * and where it goes wrong, and shows none of its content (Node's own JSON message quotes the
 * text around the error, which was part of a secret).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, startEmulator, tempDir, writeTree } from "../helpers.js"

const SECRET = "s3cr3t-VALUE-9f2e-never-shown"
const TOKEN = "apify_api_MALFORMED_FILE_TOKEN_77c1"

/** Every 6-character piece of a secret: none may reach the terminal. */
const pieces = (secret: string) => Array.from({ length: secret.length - 5 }, (_, i) => secret.slice(i, i + 6))

const homeWith = (name: string, text: string): string => {
  const home = tempDir("effect-apify-home-")
  fs.mkdirSync(path.join(home, ".apify"))
  fs.writeFileSync(path.join(home, ".apify", name), text)
  return home
}

let emulator: Awaited<ReturnType<typeof startEmulator>>
beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: false })
})
afterAll(() => emulator.close())

const actorDir = writeTree(tempDir("effect-apify-malformed-"), {
  ".actor/actor.json": JSON.stringify({ version: "0.1", environmentVariables: { KEY: "@key" } }),
  "main.js": "1"
})

describe("a malformed file under ~/.apify shows none of its content (issue 11)", () => {
  it.each([
    ["an unquoted value", `{\n  "other": "x",\n  "key": ${SECRET}\n}`, "line 3, column 10"],
    ["a missing closing quote", `{\n  "key": "${SECRET}\n}`, "line 2"],
    ["a missing comma", `{ "a": "${SECRET}" "key": "${SECRET}" }`, "line 1"],
    ["a cut-off file", `{ "key": "${SECRET}`, "line 1"]
  ])("secrets.json with %s", async (_label, text, where) => {
    const home = homeWith("secrets.json", text)
    const result = await cli(
      ["versions", "push", "owner~my-actor", actorDir, "--dry-run", "--base-url", emulator.url],
      {
        home,
        env: { APIFY_TOKEN: emulator.server.owner.token }
      }
    )
    const output = result.stdout + result.stderr
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(path.join(home, ".apify", "secrets.json"))
    expect(result.stderr).toContain(`not valid JSON at ${where}`)
    for (const piece of pieces(SECRET)) expect(output).not.toContain(piece)
  })

  it("auth.json with an unquoted token", async () => {
    const home = homeWith("auth.json", `{\n  "token": ${TOKEN}\n}`)
    const result = await cli(["actors", "get", "owner~my-actor", "--base-url", emulator.url], { home })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain("auth.json: not valid JSON at line 2, column 12")
    for (const piece of pieces(TOKEN.slice("apify_api_".length))) {
      expect(result.stdout + result.stderr).not.toContain(piece)
    }
  })
})
