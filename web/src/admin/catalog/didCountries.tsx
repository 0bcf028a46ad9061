import { Badge } from '@mantine/core';
import type { KindDefinition } from '../../config/kind';
import { currencyField, statusField } from './common';

/** Countries numbers are sold in, with their KYC rules and prices (plan task 10). */
export const didCountries: KindDefinition = {
  kind: 'did_country',
  noun: 'DID country',
  plural: 'DID countries',
  assigned: true,
  read: 'config.read',
  write: 'config.manage',
  titleOf: (r) => `${String(r.name ?? '')} (${String(r.iso_code ?? '')})`,
  fields: [
    {
      name: 'iso_code',
      label: 'Country code',
      type: 'text',
      monospace: true,
      half: true,
      placeholder: 'US',
      description: 'ISO 3166 alpha-2.',
    },
    { name: 'name', label: 'Name', type: 'text', half: true, description: 'Empty: the country’s English name.' },
    { name: 'kyc_required', label: 'KYC required', type: 'flag', description: 'Customers prove who they are before a number is theirs.' },
    {
      name: 'kyc_type',
      label: 'Whose documents',
      type: 'select',
      half: true,
      options: [
        { value: 'none', label: 'None' },
        { value: 'personal', label: 'Personal' },
        { value: 'business', label: 'Business' },
        { value: 'both', label: 'Personal or business' },
      ],
    },
    {
      name: 'required_documents',
      label: 'Required documents',
      type: 'list',
      suggestions: ['Passport', 'National ID', 'Proof of address', 'Company registration', 'Local address'],
      half: true,
    },
    { name: 'setup_price', label: 'Setup price', type: 'money', half: true },
    { name: 'monthly_price', label: 'Monthly price', type: 'money', half: true },
    currencyField,
    statusField(),
  ],
  check: (v) => {
    const problems: Record<string, string> = {};
    if (v.kyc_required === true) {
      if (v.kyc_type === 'none') problems.kyc_type = 'Say whose documents are needed when KYC is required';
      if (!Array.isArray(v.required_documents) || v.required_documents.length === 0) {
        problems.required_documents = 'List the documents KYC needs (e.g. Passport, Proof of address)';
      }
    }
    return problems;
  },
  columns: [
    'name',
    { field: 'iso_code', title: 'Code', width: 80 },
    {
      field: 'kyc_required',
      title: 'KYC',
      render: (r) => (r.kyc_required === true ? <Badge color="amber">Required</Badge> : <Badge color="gray">None</Badge>),
    },
    'setup_price',
    'monthly_price',
    'status',
  ],
};
