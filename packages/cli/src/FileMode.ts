/**
 * The one part of a file's Unix mode a version keeps, as git keeps it: whether the file is
 * executable. A push over the inline limit records it in the zip as zip tools on Unix do
 * ("version made by" Unix, the mode in the high 16 bits of the external attributes), as 0755 or
 * 0644 whatever else the mode holds (no setuid, setgid, sticky or group/other write bit is
 * sent); a pull writes an entry that says so executable (0755 less the umask). An entry of a zip
 * made elsewhere, without a Unix mode, says nothing (`undefined`). SOURCE_FILES have no mode.
 *
 * @since 0.1.0
 */

/**
 * Whether a Unix mode has any execute bit (user, group or other).
 *
 * @since 0.1.0
 */
export const isExecutable = (mode: number): boolean => (mode & 0o111) !== 0

/**
 * The permissions kept for a file: 0755 when executable, else 0644.
 *
 * @since 0.1.0
 */
export const permissions = (executable: boolean): number => executable ? 0o755 : 0o644

/**
 * The "version made by" system of a zip entry written on Unix (APPNOTE 4.4.2.2).
 *
 * @since 0.1.0
 */
export const unixSystem = 3

const regularFile = 0o100000
const fileType = 0o170000

/**
 * The external attributes of a zip entry for a regular file: its type and permissions in the
 * high 16 bits, as Info-ZIP and archiver write them.
 *
 * @since 0.1.0
 */
export const externalAttributes = (executable: boolean): number => ((regularFile | permissions(executable)) << 16) >>> 0

/**
 * Whether a zip entry is executable, from its "version made by" and external attributes:
 * `undefined` when the zip gives no Unix mode for it (not made on Unix, or no file type in the
 * attributes), which no comparison flags.
 *
 * @since 0.1.0
 */
export const executableOfEntry = (madeBy: number, external: number): boolean | undefined => {
  const mode = external >>> 16
  if (madeBy >> 8 !== unixSystem || (mode & fileType) === 0) return undefined
  return isExecutable(mode)
}

/**
 * The mode a pulled file is created with (the umask applies): 0777 when executable, else 0666.
 *
 * @since 0.1.0
 */
export const createMode = (executable: boolean | undefined): number => executable === true ? 0o777 : 0o666
