/**
 * The id of the build this core belongs to, which names its lazily loaded files
 * (`ua.<id>.min.js`). The build writes the real one here (rollup.config.ts, `buildId`); this
 * stand-in is what unit tests see.
 */
export const BUILD_ID: string = 'dev'
