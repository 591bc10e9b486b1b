import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import * as FileKind from "../src/FileKind.js"
import * as PushPlan from "../src/PushPlan.js"
import * as SourceDirectory from "../src/SourceDirectory.js"
import { makeHome, tempDir, writeTree } from "./helpers.js"

const run = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem>) =>
  Effect.runPromise(Effect.either(Effect.provide(effect, NodeFileSystem.layer)))

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])

const fixture = () =>
  writeTree(tempDir(), {
    ".actor/actor.json": JSON.stringify({ version: "1.2", buildTag: "beta" }),
    ".actor/build.log": "ignored by .gitignore, but .actor/ is always sent",
    ".gitignore": "*.log\ndist/\nsecret.txt\n",
    ".actorignore": "docs/*\n!docs/keep.md\n!dist/bundle.js\n!storage/key_value_stores/default/INPUT.json\n",
    ".env.example": "A=1\n",
    "src/main.js": "console.log('hi')\n",
    "src/lib/util.ts": "export const x = 1\n",
    "src/lib/.gitignore": "generated.ts\n",
    "src/lib/generated.ts": "ignored by the nested .gitignore\n",
    "src/debug.log": "ignored\n",
    "secret.txt": "ignored\n",
    "dist/bundle.js": "forced back in by .actorignore\n",
    "dist/other.js": "ignored\n",
    "docs/keep.md": "# kept\n",
    "docs/drop.md": "# dropped by .actorignore\n",
    "node_modules/pkg/index.js": "never sent\n",
    "src/node_modules/x.js": "never sent, at any depth\n",
    "storage/key_value_stores/default/INPUT.json": "{}",
    "apify_storage/x.json": "{}",
    "crawlee_storage/x.json": "{}",
    "src/storage/kept.json": "{\"storage only excluded at the root\": true}",
    "assets/logo.png": png,
    "assets/data.bin": Uint8Array.from([1, 2, 3, 0, 255]),
    "assets/LICENSE-NOTES": "plain text without an extension\n",
    "assets/latin1.txt": Uint8Array.from([0x63, 0x61, 0x66, 0xe9]),
    "Dockerfile": "FROM apify/actor-node:20\n"
  })

describe("SourceDirectory.collect", () => {
  it("applies the fixed excludes, .gitignore files, .actorignore and keeps .actor/", async () => {
    const dir = fixture()
    fs.mkdirSync(path.join(dir, ".git"))
    fs.writeFileSync(path.join(dir, ".git", "HEAD"), "ref: refs/heads/main\n")
    const result = await run(SourceDirectory.collect(dir))
    if (Either.isLeft(result)) throw new Error(String(result.left))
    const names = result.right.entries.map((e) => e.name)
    expect(names).toEqual([
      ".actor/actor.json",
      ".actor/build.log",
      ".actorignore",
      ".env.example",
      ".gitignore",
      "Dockerfile",
      "assets/LICENSE-NOTES",
      "assets/data.bin",
      "assets/latin1.txt",
      "assets/logo.png",
      "dist/bundle.js",
      "docs/keep.md",
      "src/lib/.gitignore",
      "src/lib/util.ts",
      "src/main.js",
      "src/storage/kept.json",
      "storage/key_value_stores/default/INPUT.json"
    ])
    const folders = result.right.sourceFiles.filter((f) => !("content" in f)).map((f) => f.name)
    expect(folders).toEqual([
      ".actor",
      "assets",
      "dist",
      "docs",
      "src",
      "src/lib",
      "src/storage",
      "storage",
      "storage/key_value_stores",
      "storage/key_value_stores/default"
    ])
  })

  it("does not walk excluded directories that no !pattern reaches into", async () => {
    const dir = writeTree(tempDir(), { ".actorignore": "!keep/*.md\n", "main.js": "1", "node_modules/a/index.js": "1" })
    // a walk into node_modules would fail on this broken link
    fs.symlinkSync(path.join(dir, "nowhere"), path.join(dir, "node_modules", "a", "broken"))
    const result = await run(SourceDirectory.collect(dir))
    expect(Either.isRight(result) && result.right.entries.map((e) => e.name)).toEqual([".actorignore", "main.js"])
  })

  it(".actorignore: a !line forces in whatever .gitignore and the other lines say, in any order", async () => {
    const dir = writeTree(tempDir(), {
      ".gitignore": "dist/\n*.log\n",
      ".actorignore": "!docs/keep.md\n!dist/\ndocs/\n!**/keep.log\n*.tmp\n",
      "docs/keep.md": "kept: forced in, though docs/ comes after it",
      "docs/drop.md": "left out by docs/",
      "dist/bundle.js": "forced in with all of dist/",
      "dist/sub/deep.log": "forced in: below a forced directory, *.log of .gitignore does not apply",
      "src/keep.log": "forced in by **/keep.log",
      "src/other.log": "left out by .gitignore",
      "src/a.tmp": "left out by *.tmp",
      "dist/node_modules/x.js": "never: a forced directory does not force in node_modules"
    })
    const result = await run(SourceDirectory.collect(dir))
    expect(Either.isRight(result) && result.right.entries.map((e) => e.name)).toEqual([
      ".actorignore",
      ".gitignore",
      "dist/bundle.js",
      "dist/sub/deep.log",
      "docs/keep.md",
      "src/keep.log"
    ])
  })

  it("sends text files as TEXT and binary files as BASE64", async () => {
    const result = await run(SourceDirectory.collect(fixture()))
    if (Either.isLeft(result)) throw new Error(String(result.left))
    const format = (name: string) => result.right.entries.find((e) => e.name === name)?.format
    expect(format("src/main.js")).toBe("TEXT")
    expect(format("src/lib/util.ts")).toBe("TEXT")
    expect(format(".actor/actor.json")).toBe("TEXT")
    expect(format("Dockerfile")).toBe("TEXT")
    expect(format("assets/LICENSE-NOTES")).toBe("TEXT") // unknown type, sniffed as text
    expect(format("assets/logo.png")).toBe("BASE64")
    expect(format("assets/data.bin")).toBe("BASE64")
    expect(format("assets/latin1.txt")).toBe("BASE64") // a text type, but not UTF-8: no byte lost
    const logo = result.right.sourceFiles.find((f) => f.name === "assets/logo.png")
    expect(logo && "content" in logo ? Buffer.from(logo.content, "base64") : undefined).toEqual(Buffer.from(png))
  })

  it("sniffs unknown types", () => {
    expect(FileKind.formatOf("NOTES", new TextEncoder().encode("hello\nworld"))).toBe("TEXT")
    expect(FileKind.formatOf("blob", Uint8Array.from([0, 1, 2]))).toBe("BASE64")
    expect(FileKind.formatOf("x.weird", Uint8Array.from([0xff, 0xfe, 0x41]))).toBe("BASE64")
    expect(FileKind.formatOf("script.sh", new TextEncoder().encode("#!/bin/sh\necho é"))).toBe("TEXT")
  })

  it("refuses a missing directory", async () => {
    const result = await run(SourceDirectory.collect(path.join(tempDir(), "nope")))
    expect(Either.isLeft(result) && result.left._tag).toBe("InvalidInput")
  })
})

describe("PushPlan.make", () => {
  const home = process.env.HOME
  beforeEach(() => {
    process.env.HOME = makeHome({ secrets: { apiKey: "s3cr3t-value" } })
  })
  afterEach(() => {
    process.env.HOME = home
  })

  const options = (directory: string, overrides: Partial<PushPlan.PushOptions> = {}): PushPlan.PushOptions => ({
    directory,
    versionNumber: Option.none(),
    buildTag: Option.none(),
    allowMissingSecrets: false,
    ...overrides
  })

  it("takes version and build tag from actor.json, env vars with @secrets from ~/.apify/secrets.json", async () => {
    const dir = writeTree(tempDir(), {
      ".actor/actor.json": JSON.stringify({
        version: "0.3",
        buildTag: "beta",
        environmentVariables: { PLAIN: "x", KEY: "@apiKey" }
      }),
      "main.js": "1"
    })
    const result = await run(PushPlan.make(options(dir)))
    if (Either.isLeft(result)) throw new Error(String(result.left))
    const plan = result.right
    expect(plan.versionNumber).toBe("0.3")
    expect(plan.versionSource).toBe(".actor/actor.json")
    expect(plan.buildTag).toBe("beta")
    expect(plan.envVars).toEqual([
      { name: "PLAIN", value: "x", isSecret: false },
      { name: "KEY", value: "s3cr3t-value", isSecret: true }
    ])
    const masked = JSON.stringify(PushPlan.masked(plan))
    expect(masked).not.toContain("s3cr3t-value")
    expect(masked).toContain(PushPlan.mask)
  })

  it("prefers the flags, and defaults to 0.0 and latest", async () => {
    const dir = writeTree(tempDir(), { ".actor/actor.json": JSON.stringify({ version: "0.3" }), "main.js": "1" })
    const flagged = await run(
      PushPlan.make(options(dir, { versionNumber: Option.some("2.5"), buildTag: Option.some("next") }))
    )
    expect(Either.isRight(flagged) && [flagged.right.versionNumber, flagged.right.buildTag]).toEqual(["2.5", "next"])
    const bare = await run(PushPlan.make(options(writeTree(tempDir(), { "main.js": "1" }))))
    expect(Either.isRight(bare) && [bare.right.versionNumber, bare.right.buildTag, bare.right.envVars]).toEqual([
      "0.0",
      "latest",
      undefined
    ])
  })

  it("refuses a bad version number, naming where it came from", async () => {
    const dir = writeTree(tempDir(), { ".actor/actor.json": JSON.stringify({ version: "1.0.0" }), "main.js": "1" })
    const result = await run(PushPlan.make(options(dir)))
    expect(Either.isLeft(result) && result.left.message).toContain("\"1.0.0\" from .actor/actor.json")
  })

  it("fails on a missing secret unless allowed", async () => {
    const dir = writeTree(tempDir(), {
      ".actor/actor.json": JSON.stringify({ environmentVariables: { KEY: "@nope", A: "1" } }),
      "main.js": "1"
    })
    const refused = await run(PushPlan.make(options(dir)))
    expect(Either.isLeft(refused) && refused.left.message).toContain("@nope")
    const allowed = await run(PushPlan.make(options(dir, { allowMissingSecrets: true })))
    expect(Either.isRight(allowed) && [allowed.right.envVars, allowed.right.missingSecrets]).toEqual([
      [{ name: "A", value: "1", isSecret: false }],
      ["nope"]
    ])
  })

  it("stops over the 3 MiB inline limit and lists the largest files", async () => {
    const big = new Uint8Array(2 * 1024 * 1024).fill(7) // base64: 2.7 MiB
    const dir = writeTree(tempDir(), {
      "big.bin": big,
      "medium.txt": "x".repeat(600 * 1024),
      "small.js": "1"
    })
    const result = await run(PushPlan.make(options(dir)))
    if (Either.isRight(result)) throw new Error("expected a failure")
    // decided before small.js is read: what is read already plus the least the rest can count
    expect(result.left.message).toMatch(/3 files total at least 3\.3 MiB as sent, over the 3\.0 MiB inline limit/)
    expect(result.left.message).toContain(
      "largest: big.bin (2.0 MiB on disk), medium.txt (600.0 KiB on disk), small.js (1 B on disk)"
    )
  })

  it("accepts exactly 3 MiB", async () => {
    const dir = writeTree(tempDir(), { "a.txt": "y".repeat(3 * 1024 * 1024) })
    const result = await run(PushPlan.make(options(dir)))
    expect(Either.isRight(result)).toBe(true)
  })
})
