/**
 * The operating system's name as ua-parser-js 1.x names it (`Windows`, `Mac OS`, `iOS`,
 * `Android`, `Chromium OS`, `Linux`…), for vendors whose components send that name (Tatari).
 * A table of the common systems, in the order ua-parser-js tells them apart, instead of the
 * library itself (about 18 KB): undefined for the rest.
 */
const SYSTEMS: Array<[RegExp, string]> = [
  [/windows phone/i, 'Windows Phone'],
  [/windows/i, 'Windows'],
  [/harmonyos/i, 'HarmonyOS'],
  [/android/i, 'Android'],
  [/iphone|ipad|ipod/i, 'iOS'],
  [/macintosh|mac os x/i, 'Mac OS'],
  [/\bcros\b/i, 'Chromium OS'],
  [/kaios/i, 'KAIOS'],
  [/tizen/i, 'Tizen'],
  [/web0s|webos/i, 'webOS'],
  [/playstation/i, 'PlayStation'],
  [/ubuntu/i, 'Ubuntu'],
  [/fedora/i, 'Fedora'],
  [/debian/i, 'Debian'],
  [/freebsd/i, 'FreeBSD'],
  [/openbsd/i, 'OpenBSD'],
  [/linux/i, 'Linux'],
]

export function osName(userAgent: string): string | undefined {
  return SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1]
}
