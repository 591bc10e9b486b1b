/**
 * Client benchmark of @effect-apify/api against plain fetch and apify-client, on the loopback
 * emulator. The implementation lives in packages/api/bench (where the workspace packages
 * resolve). Run from the repository root: `npx tsx bench/client.ts [--rounds N] [--requests N] [--json]`.
 */
import "../packages/api/bench/client.js"
