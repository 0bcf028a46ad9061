import type { FieldSpec, SelectOption, TextField } from '../../config/kind';

/**
 * Field rules several catalog kinds share, mirroring
 * crates/server/src/changes/fields.rs and catalog/*.rs.
 */

export const activeStatuses: SelectOption[] = [
  { value: 'active', label: 'Active', color: 'green' },
  { value: 'disabled', label: 'Disabled', color: 'gray' },
];

export function statusField(options: SelectOption[] = activeStatuses): FieldSpec {
  return {
    name: 'status',
    label: 'Status',
    type: 'select',
    options,
    default: 'active',
    half: true,
    description: 'Only active records are offered to customers.',
  };
}

export const currencyField: TextField = {
  name: 'currency',
  label: 'Currency',
  type: 'text',
  case: 'upper',
  max: 3,
  default: 'USD',
  half: true,
  monospace: true,
  pattern: { regex: /^[A-Z]{3}$/, message: 'Must be a three-letter ISO 4217 code such as USD' },
  description: 'ISO 4217 code; prices are in this currency.',
};

/** The SIP port of a host list (carriers, POPs). */
export const sipPortField: FieldSpec = { name: 'port', label: 'Port', type: 'number', min: 1, max: 65_535, default: 5060, half: true };

/** The SIP transport (carriers, POPs), as the server's `one_of(udp, tcp, tls)`. */
export const sipTransportField: FieldSpec = {
  name: 'transport',
  label: 'Transport',
  type: 'select',
  default: 'udp',
  half: true,
  options: [
    { value: 'udp', label: 'UDP' },
    { value: 'tcp', label: 'TCP' },
    { value: 'tls', label: 'TLS' },
  ],
};

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
