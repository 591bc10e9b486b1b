/**
 * Inline source files of a `SOURCE_FILES` version: files (text or base64) and folders.
 *
 * @since 0.1.0
 */
import * as Arbitrary from "effect/Arbitrary"
import * as Encoding from "effect/Encoding"
import * as Schema from "effect/Schema"
import * as Limits from "./Limits.js"

/**
 * How a file's `content` is written: plain `TEXT` or `BASE64`.
 *
 * @since 0.1.0
 */
export const SourceFileFormat = Schema.Literal("TEXT", "BASE64").annotations({ identifier: "SourceFileFormat" })

/**
 * The decoded type of `SourceFileFormat`.
 *
 * @since 0.1.0
 */
export type SourceFileFormat = typeof SourceFileFormat.Type

const fileName = Schema.String.pipe(
  Schema.filter((s) => s.length > 0 || "source file name must not be empty"),
  Schema.annotations({ arbitrary: () => (fc) => fc.stringMatching(/^[a-z0-9_./-]{1,24}$/) })
)

/**
 * A file with its content, its path relative to the Actor's root as `name`.
 *
 * @since 0.1.0
 */
export class SourceCodeFile extends Schema.Class<SourceCodeFile>("SourceCodeFile")({
  name: fileName,
  format: SourceFileFormat,
  content: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  get _tag(): "SourceCodeFile" {
    return "SourceCodeFile"
  }
}

/**
 * A folder in the Actor's file tree, marked by `folder: true`.
 *
 * @since 0.1.0
 */
export class SourceCodeFolder extends Schema.Class<SourceCodeFolder>("SourceCodeFolder")({
  name: fileName,
  folder: Schema.Literal(true)
}) {
  /**
   * @since 0.1.0
   */
  get _tag(): "SourceCodeFolder" {
    return "SourceCodeFolder"
  }
}

/**
 * One entry of `sourceFiles`: a file or a folder.
 *
 * @since 0.1.0
 */
export const SourceFile = Schema.Union(SourceCodeFolder, SourceCodeFile).annotations({ identifier: "SourceFile" })

/**
 * The decoded type of `SourceFile`.
 *
 * @since 0.1.0
 */
export type SourceFile = typeof SourceFile.Type

/**
 * The size that counts against the 3 MiB inline limit: the content's length as sent.
 *
 * @since 0.1.0
 */
export const inlineSize = (files: ReadonlyArray<SourceFile>): number => {
  let total = 0
  for (const file of files) {
    if ("content" in file) total += file.content.length
  }
  return total
}

/**
 * The `sourceFiles` list as answers carry it.
 *
 * @since 0.1.0
 */
export const SourceFiles = Schema.Array(SourceFile)

/**
 * The `sourceFiles` list as sent: at least one entry, names unique, content within the 3 MiB
 * inline limit.
 *
 * @since 0.1.0
 */
export const SourceFilesRequest = SourceFiles.pipe(
  Schema.filter((files) => {
    const size = inlineSize(files)
    if (size > Limits.maxInlineSourceBytes) {
      return `sourceFiles content totals ${size} bytes, over the ${Limits.maxInlineSourceBytes}-byte inline limit; use a TARBALL or GIT_REPO source instead`
    }
    const seen = new Set<string>()
    for (const file of files) {
      if (seen.has(file.name)) return `sourceFiles must not repeat a name, ${JSON.stringify(file.name)} appears twice`
      seen.add(file.name)
    }
    return true
  }),
  Schema.annotations({
    identifier: "SourceFilesRequest",
    arbitrary: () => (fc) => fc.uniqueArray(Arbitrary.make(SourceFile), { selector: (file) => file.name, maxLength: 6 })
  })
)

/**
 * A text file entry.
 *
 * @since 0.1.0
 */
export const text = (name: string, content: string): SourceCodeFile =>
  SourceCodeFile.make({ name, format: "TEXT", content }, true)

/**
 * A base64 file entry from raw bytes.
 *
 * @since 0.1.0
 */
export const binary = (name: string, bytes: Uint8Array): SourceCodeFile =>
  SourceCodeFile.make({ name, format: "BASE64", content: Encoding.encodeBase64(bytes) }, true)

/**
 * A folder entry.
 *
 * @since 0.1.0
 */
export const folder = (name: string): SourceCodeFolder => SourceCodeFolder.make({ name, folder: true }, true)
