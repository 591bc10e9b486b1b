// End to end: `versions push` of the sample Actor and of fixture directories.
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

const sample = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "examples", "sample-actor")
let emulator: Awaited<ReturnType<typeof startEmulator>>
let env: Record<string, string>
const home = makeHome({ secrets: { helloApiKey: "sample-secret-value" } })
const actor = "owner~push-actor"

beforeAll(async () => {
  emulator = await startEmulator()
  env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
  expect((await cli(["actors", "create", "push-actor"], { env, home })).code).toBe(0)
})
afterAll(() => emulator.close())

describe("versions push", () => {
  it("creates, then updates, the version from actor.json", async () => {
    const first = await cli(["versions", "push", actor, sample], { env, home })
    expect(first.stderr).toBe("")
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(
      /^Created version 0\.1 of owner~push-actor: 9 files, [\d.]+ (B|KiB), build tag latest, 2 env vars\.\n$/
    )
    const second = await cli(["versions", "push", actor, sample, "--json"], { env, home })
    expect(second.code).toBe(0)
    const record = JSON.parse(second.stdout)
    expect(record.versionNumber).toBe("0.1")
    expect(record.buildTag).toBe("latest")
    expect(record.envVars).toEqual([
      { name: "GREETING", value: "Hello", isSecret: false },
      { name: "API_KEY", isSecret: true }
    ])
    const names = record.sourceFiles.map((f: { name: string }) => f.name)
    expect(names).toContain(".actor/actor.json")
    expect(names).toContain("src/main.js")
    expect(names).not.toContain("notes/todo.md") // .actorignore
    const icon = record.sourceFiles.find((f: { name: string }) => f.name === "icon.png")
    expect(icon.format).toBe("BASE64")
    const snapshot = JSON.stringify(await emulator.run(emulator.server.emulator.snapshot))
    expect(snapshot).toContain("sample-secret-value")
    expect(second.stdout + second.stderr + first.stdout).not.toContain("sample-secret-value")
  })

  it("--dry-run sends nothing and masks secrets", async () => {
    const before = await emulator.run(emulator.server.emulator.requestCount)
    const result = await cli(["versions", "push", actor, sample, "--dry-run", "--version-number", "0.9"], {
      env: {},
      home
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Dry run: would push to version 0\.9 of owner~push-actor \(nothing sent\)\./)
    expect(result.stdout).toContain("API_KEY=********")
    expect(result.stdout).toMatch(/^icon\.png +BASE64 +\d+ B$/m)
    expect(result.stdout).not.toContain("sample-secret-value")
    const asJson = await cli(["versions", "push", actor, sample, "--dry-run", "--json"], { env: {}, home })
    const body = JSON.parse(asJson.stdout)
    expect(body.envVars).toContainEqual({ name: "API_KEY", value: "********", isSecret: true })
    expect(body.sourceType).toBe("SOURCE_FILES")
    expect(await emulator.run(emulator.server.emulator.requestCount)).toBe(before)
  })

  it("a missing secret is an error unless --allow-missing-secrets", async () => {
    const refused = await cli(["versions", "push", actor, sample, "--version-number", "0.2"], {
      env,
      home: makeHome({})
    })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(
      /failed: secret @helloApiKey used in \.actor\/actor\.json is not in ~\/\.apify\/secrets\.json/
    )
    const allowed = await cli(
      ["versions", "push", actor, sample, "--version-number", "0.2", "--allow-missing-secrets", "--json"],
      { env, home: makeHome({}) }
    )
    expect(allowed.code).toBe(0)
    expect(allowed.stderr).toMatch(/^Warning: secret @helloApiKey not found/)
    expect(JSON.parse(allowed.stdout).envVars).toEqual([{ name: "GREETING", value: "Hello", isSecret: false }])
  })

  it("versions create --source-dir stops before sending over the 3 MiB inline limit (push zips)", async () => {
    const dir = writeTree(tempDir(), {
      "a.bin": new Uint8Array(1536 * 1024).fill(1),
      "b.bin": new Uint8Array(1024 * 1024).fill(2),
      "main.js": "1"
    })
    const before = await emulator.run(emulator.server.emulator.requestCount)
    const result = await cli(["versions", "create", actor, "0.7", "--source-dir", dir], { env, home })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toMatch(
      /^Error: create version 0\.7 of owner~push-actor failed: 3 files total at least 3\.3 MiB as sent, over the 3\.0 MiB inline limit; largest: a\.bin \(1\.5 MiB on disk\), b\.bin \(1\.0 MiB on disk\), main\.js \(1 B on disk\)\. Hint: exclude large files/
    )
    expect(await emulator.run(emulator.server.emulator.requestCount)).toBe(before)
  })

  it("a bad version number in actor.json", async () => {
    const dir = writeTree(tempDir(), { ".actor/actor.json": "{\"version\": \"1.0.0\"}", "main.js": "1" })
    const result = await cli(["versions", "push", actor, dir], { env, home })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("version number \"1.0.0\" from .actor/actor.json is not valid")
  })

  it("concurrent pushes to one version converge: all exit 0, one creates, the version is one of them", async () => {
    const racers = 6
    const dirs = Array.from({ length: racers }, (_, i) =>
      writeTree(tempDir(), {
        "main.js": `console.log("push ${i}")\n`,
        [`only-${i}.txt`]: `file of push ${i}\n`,
        "data.bin": new Uint8Array(64).fill(i)
      }))
    const contentsOf = (files: ReadonlyArray<{ name: string; content?: string }>) =>
      files.filter((f) => f.content !== undefined).map((f) => `${f.name}=${f.content}`).sort()
    const expected = await Promise.all(dirs.map(async (dir) => {
      const dry = await cli(["versions", "push", actor, dir, "--dry-run", "--json"], { env, home })
      return contentsOf(JSON.parse(dry.stdout).sourceFiles)
    }))
    for (const round of ["first", "second"]) {
      // --force: every racer sends (else one whose files the version already has is skipped).
      const results = await Promise.all(
        dirs.map((dir) => cli(["versions", "push", actor, dir, "--version-number", "3.0", "--force"], { env, home }))
      )
      for (const result of results) {
        expect(result.stderr).toBe("")
        expect(result.code).toBe(0)
        expect(result.stdout).toMatch(/^(Created|Updated) version 3\.0 of owner~push-actor: 3 files, /)
      }
      const created = results.filter((r) => r.stdout.startsWith("Created")).length
      expect(created).toBe(round === "first" ? 1 : 0)
      const got = await cli(["versions", "get", actor, "3.0", "--json"], { env, home })
      expect(expected).toContainEqual(contentsOf(JSON.parse(got.stdout).sourceFiles))
    }
  }, 60_000)
})
