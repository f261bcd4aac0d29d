/**
 * How terser renames internal fields, for the generic build (rollup.config.ts) and site builds
 * (src/cli/site-build.ts) alike: internal fields are named `_likeThis`; the name map is
 * `mangle.json` (committed, shipped in the package), so a site build's core and the generic lazy
 * files it loads agree on every field an object carries from one to the other.
 */

/** Vendor names that start with `_` (cookies and wire parameters): never renamed. */
export const VENDOR_NAMES = ['_ga', '_gid', '_fbp', '_fbc', '_p', '_s', '_fv', '_ss', '_et', '_n', '_e', '_self']

/** terser's `mangle.properties`; `reserved` adds names to keep besides the vendor names. */
export const mangleProperties = (reserved: string[] = []) => ({ regex: /^_[a-zA-Z]+$/, reserved: [...VENDOR_NAMES, ...reserved], keep_quoted: 'strict' as const })
