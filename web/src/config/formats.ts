/**
 * Client-side checks of the text formats the server names in its field
 * rules (`format` in GET /api/v1/config/kinds) that a regular expression
 * cannot say: a SIP host, an ISO country. Which field has which format, and
 * its lengths, come from the server.
 */

const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }) : null;

/** The English name of an ISO 3166 alpha-2 code, or undefined when it is not one. */
export function countryName(code: string): string | undefined {
  if (!/^[A-Z]{2}$/.test(code)) return undefined;
  try {
    return regionNames?.of(code) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Why a country code is refused (the server checks the ISO list itself). */
export function countryProblem(code: string): string | null {
  const c = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(c) || (regionNames && !countryName(c))) return `“${code.trim()}” is not an ISO 3166 country code (such as US, GB, EG)`;
  return null;
}

/** A host name or IPv4/IPv6 address, optionally with `:port` (as the server's `sip_host`). */
export function sipHostProblem(entry: string): string | null {
  const s = entry.trim();
  const bad = `“${s}” is not a host name or IP address`;
  if (!s || s.length > 253) return bad;
  // IPv6, bare or as [addr]:port: leave the details to the server.
  if (/^\[?[0-9a-f:.]+\]?(?::\d+)?$/i.test(s) && s.includes(':') && s.split(':').length > 2) return null;
  const [host, port, ...rest] = s.split(':');
  if (rest.length > 0) return bad;
  if (port !== undefined) {
    const p = Number(port);
    if (!/^\d+$/.test(port) || p < 1 || p > 65535) return `“${port}” is not a port`;
  }
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
  return host!.split('.').every((l) => label.test(l)) ? null : bad;
}
