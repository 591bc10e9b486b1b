import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/**
 * A copy of the contract's reference material (the seed pages and Apify's OpenAPI description
 * of these endpoints), kept in the repository so the tests run on any clone.
 */
export const contractDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures")

/**
 * The JSON blocks of one seed page. The pages were scraped from rendered Markdown, which left a
 * `\` at the end of some lines inside arrays; those are removed before parsing.
 */
export const seedJsonBlocks = (file: string): ReadonlyArray<unknown> => {
  const text = fs.readFileSync(path.join(contractDir, "seeds", file), "utf8")
  const blocks: Array<unknown> = []
  let open: Array<string> | undefined
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) {
      if (open === undefined) {
        open = []
      } else {
        const body = open.join("\n").replace(/\\$/gm, "").trim()
        if (body.startsWith("{")) blocks.push(JSON.parse(body))
        open = undefined
      }
    } else if (open !== undefined) {
      open.push(line)
    }
  }
  return blocks
}

/** The seed files. */
export const seedFiles = (): ReadonlyArray<string> => fs.readdirSync(path.join(contractDir, "seeds")).sort()
