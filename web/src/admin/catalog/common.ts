import type { FieldSpec, SelectOption, TextField } from '../../config/kind';

/**
 * Labels and layout of fields several kinds share. Their rules (lengths,
 * bounds, choices, defaults) come from the server's field rules
 * (GET /api/v1/config/kinds), declared once in crates/server.
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
    half: true,
    description: 'Only active records are offered to customers.',
  };
}

export const currencyField: TextField = {
  name: 'currency',
  label: 'Currency',
  type: 'text',
  half: true,
  monospace: true,
  description: 'ISO 4217 code; prices are in this currency.',
};

/** The SIP port of a host list (carriers, POPs). */
export const sipPortField: FieldSpec = { name: 'port', label: 'Port', type: 'number', half: true };

/** The SIP transport (carriers, POPs). */
export const sipTransportField: FieldSpec = {
  name: 'transport',
  label: 'Transport',
  type: 'select',
  half: true,
  options: [
    { value: 'udp', label: 'UDP' },
    { value: 'tcp', label: 'TCP' },
    { value: 'tls', label: 'TLS' },
  ],
};

export { countryName, countryProblem, sipHostProblem } from '../../config/formats';
