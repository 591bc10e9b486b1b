/**
 * Decides whether a file is sent as `TEXT` or `BASE64` when a directory is pushed: by its
 * type (text, JavaScript, TypeScript, JSON, XML, TOML, YAML, shell, ...), and for unknown
 * types by looking at the bytes.
 *
 * @since 0.1.0
 */

const textExtensions = new Set([
  "txt",
  "text",
  "md",
  "markdown",
  "rst",
  "adoc",
  "csv",
  "tsv",
  "log",
  "ini",
  "cfg",
  "conf",
  "properties",
  "env",
  "js",
  "mjs",
  "cjs",
  "jsx",
  "ts",
  "mts",
  "cts",
  "tsx",
  "json",
  "jsonc",
  "json5",
  "map",
  "webmanifest",
  "xml",
  "xsd",
  "xsl",
  "svg",
  "html",
  "htm",
  "xhtml",
  "css",
  "scss",
  "sass",
  "less",
  "vue",
  "svelte",
  "astro",
  "toml",
  "yaml",
  "yml",
  "sh",
  "bash",
  "zsh",
  "fish",
  "ps1",
  "bat",
  "cmd",
  "py",
  "pyi",
  "rb",
  "php",
  "pl",
  "go",
  "rs",
  "java",
  "kt",
  "kts",
  "scala",
  "c",
  "h",
  "cc",
  "cpp",
  "hpp",
  "cs",
  "swift",
  "lua",
  "r",
  "sql",
  "graphql",
  "gql",
  "proto",
  "dockerfile",
  "lock",
  "gitignore",
  "dockerignore",
  "npmrc",
  "nvmrc",
  "editorconfig",
  "prettierrc",
  "eslintrc",
  "babelrc",
  "actorignore",
  "tf",
  "hcl"
])

const binaryExtensions = new Set([
  "png",
  "jpg",
  "jpeg",
  "gif",
  "webp",
  "ico",
  "bmp",
  "tif",
  "tiff",
  "avif",
  "heic",
  "zip",
  "gz",
  "tgz",
  "bz2",
  "xz",
  "7z",
  "rar",
  "tar",
  "zst",
  "pdf",
  "doc",
  "docx",
  "xls",
  "xlsx",
  "ppt",
  "pptx",
  "odt",
  "woff",
  "woff2",
  "ttf",
  "otf",
  "eot",
  "mp3",
  "mp4",
  "wav",
  "ogg",
  "webm",
  "mov",
  "avi",
  "flac",
  "wasm",
  "exe",
  "dll",
  "so",
  "dylib",
  "bin",
  "class",
  "jar",
  "pyc",
  "node",
  "sqlite",
  "db"
])

const textBaseNames = new Set(["dockerfile", "makefile", "procfile", "license", "readme", "changelog", "gemfile"])

/**
 * What a file's name says about its type: `"text"`, `"binary"`, or `"unknown"` (sniff it).
 *
 * @since 0.1.0
 */
export const byName = (name: string): "text" | "binary" | "unknown" => {
  const base = name.slice(name.lastIndexOf("/") + 1).toLowerCase()
  if (textBaseNames.has(base)) return "text"
  const dot = base.lastIndexOf(".")
  if (dot === -1) return "unknown"
  const extension = base.slice(dot + 1)
  if (textExtensions.has(extension)) return "text"
  if (binaryExtensions.has(extension)) return "binary"
  return "unknown"
}

// `ignoreBOM: true` keeps a leading byte order mark in the decoded text instead of dropping it.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

/**
 * The text of `bytes` when they are valid UTF-8, every byte kept (a byte order mark
 * included), so that encoding the text as UTF-8 gives the same bytes back; `undefined`
 * otherwise.
 *
 * @since 0.1.0
 */
export const decodeText = (bytes: Uint8Array): string | undefined => {
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

/**
 * Looks at the bytes: text when they are valid UTF-8 without NUL bytes or other control
 * characters (tabs, newlines, form feeds and escapes allowed).
 *
 * @since 0.1.0
 */
export const looksLikeText = (bytes: Uint8Array): boolean => {
  for (const byte of bytes) {
    if (byte === 0) return false
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) {
      return false
    }
  }
  return decodeText(bytes) !== undefined
}

/**
 * The format a file is sent in: `TEXT` for text types (and unknown types whose bytes are
 * text), `BASE64` otherwise. A file of a text type whose bytes are not valid UTF-8 is sent as
 * `BASE64` so that no byte is lost; TEXT is chosen only when the bytes round-trip through UTF-8
 * exactly (see `decodeText`).
 *
 * @since 0.1.0
 */
export const formatOf = (name: string, bytes: Uint8Array): "TEXT" | "BASE64" => {
  const kind = byName(name)
  if (kind === "binary") return "BASE64"
  if (kind === "text") return decodeText(bytes) === undefined ? "BASE64" : "TEXT"
  return looksLikeText(bytes) ? "TEXT" : "BASE64"
}
