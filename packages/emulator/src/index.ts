/**
 * An Apify-compatible emulator of the Actor, version and environment variable API, in memory
 * or on loopback, with fault injection.
 *
 * @since 0.1.0
 */

/**
 * The emulator: its handle, layers, loopback server and options.
 *
 * @since 0.1.0
 */
export * as Emulator from "./Emulator.js"
