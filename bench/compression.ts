/**
 * Compression benchmark: an 8 MiB version create through @effect-apify/api with compression
 * off against `fetch` of the same JSON on one loopback fake server, and a table of gzip levels
 * against body sizes (bytes saved, CPU spent). The implementation lives in packages/api/bench
 * (where the workspace packages resolve). Run from the repository root:
 * `npx tsx --conditions=@effect-apify/source bench/compression.ts [--rounds N] [--no-create] [--no-table]`.
 */
import "../packages/api/bench/compression.js"
