// The hints of push's refusals say what fixes the case at hand, through the built executable
// (`--dry-run`: the directory is read as for a push, nothing is sent): a link to a folder
// outside is left out by its name without a trailing slash (which the hint names, and which
// works); a link below `.actor/` cannot be left out at all; `.actor/actor.json` that is a
// folder is named as such.
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { cli, tempDir, writeTree } from "./helpers.js"

const env = { APIFY_TOKEN: "apify_api_unused_token_0123456789" }

const push = (dir: string, ...flags: ReadonlyArray<string>) =>
  cli(["versions", "push", "owner~hints", dir, "--dry-run", "--version-number", "0.1", ...flags], { env })

describe("push hints", () => {
  it("a link to a folder outside: the hint names the .actorignore line that leaves it out, and that line works", async () => {
    const outside = writeTree(tempDir(), { "secret/key.pem": "k" })
    const dir = writeTree(tempDir(), { "main.js": "1" })
    fs.symlinkSync(path.join(outside, "secret"), path.join(dir, "certs"))
    const refused = await push(dir, "--refuse-outside-links")
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("certs is a symbolic link to outside the directory; refused")
    expect(refused.stderr).toContain(
      "Hint: remove the link, or leave it out with the line /certs in .actorignore (no trailing /: the ignore rules see the link, not a folder); without --refuse-outside-links it is skipped with a warning."
    )
    // what a user would write for a folder does not match the link
    fs.writeFileSync(path.join(dir, ".actorignore"), "certs/\n")
    expect((await push(dir, "--refuse-outside-links")).code).toBe(2)
    fs.writeFileSync(path.join(dir, ".actorignore"), "/certs\n")
    const followed = await push(dir, "--refuse-outside-links")
    expect(followed.stderr).toBe("")
    expect(followed.code).toBe(0)
  })

  it("a link below .actor/ to a folder outside: .actorignore cannot leave it out, and the hint says so", async () => {
    const outside = writeTree(tempDir(), { "schema.json": "{}" })
    const dir = writeTree(tempDir(), { "main.js": "1", ".actor/actor.json": "{\"actorSpecification\":1}" })
    fs.symlinkSync(outside, path.join(dir, ".actor", "schemas"))
    const refused = await push(dir, "--refuse-outside-links")
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(
      "Hint: copy what it leads to into the directory, or remove the link: everything in .actor/ is sent, so .actorignore cannot leave it out."
    )
  })

  it(".actor/actor.json that is a folder is named as one, with what push reads it for", async () => {
    const dir = writeTree(tempDir(), { "main.js": "1", ".actor/actor.json/x": "" })
    const refused = await push(dir)
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toBe(
      `Error: push ${dir} to owner~hints failed: .actor/actor.json is a directory, not a file. Hint: push reads the version, build tag and env vars from the JSON file .actor/actor.json: make it a file, or remove it.\n`
    )
  })
})
