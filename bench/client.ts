/**
 * Client benchmark of @effect-apify/api against raw undici, plain fetch and apify-client, on
 * one loopback node:http fake server, plus the in-memory emulator layer. The implementation
 * lives in packages/api/bench (where the workspace packages resolve). Run from the repository
 * root: `npx tsx --conditions=@effect-apify/source bench/client.ts [--rounds N] [--requests N] [--json]`.
 */
import "../packages/api/bench/client.js"
