import {
  IconApi,
  IconCreditCard,
  IconLayoutDashboard,
  IconLifebuoy,
  IconListDetails,
  IconReceiptDollar,
  IconShieldLock,
  IconUsersGroup,
} from '@tabler/icons-react';
import type { Portal } from '../shell/nav';

/** The wholesale carrier's portal (plan task 48). */
export const carrierPortal: Portal = {
  kind: 'carrier',
  name: 'Carrier portal',
  shortName: 'Carrier',
  basePath: '/carrier',
  nav: [
    {
      label: 'Dashboard',
      path: '',
      icon: IconLayoutDashboard,
      summary: 'Traffic, earnings and balance at a glance.',
      empty: 'Traffic and earnings appear here once calls flow through your routes.',
    },
    {
      label: 'Rates',
      path: 'rates',
      icon: IconReceiptDollar,
      summary: 'Upload rate cards and see the rates in force.',
      empty: 'Upload a rate card in CSV or Excel.',
      permission: 'services.read',
    },
    {
      label: 'CDRs',
      path: 'cdrs',
      icon: IconListDetails,
      summary: 'Every call we sent you, with duration and cost.',
      empty: 'Call records appear here after the first call.',
      permission: 'services.read',
    },
    {
      label: 'Billing',
      path: 'billing',
      icon: IconCreditCard,
      summary: 'Invoices and payments between you and the operator.',
      empty: 'Invoices and payments appear here.',
      permission: 'billing.read',
    },
    {
      label: 'Support',
      path: 'support',
      icon: IconLifebuoy,
      summary: 'Open a ticket or follow up on one.',
      empty: 'You have no support tickets.',
    },
    {
      label: 'Team',
      path: 'team',
      icon: IconUsersGroup,
      summary: 'Invite colleagues and choose what each of them may do.',
      empty: 'Invite a colleague to share this account.',
      permission: 'team.read',
    },
    {
      label: 'API keys',
      path: 'api-keys',
      icon: IconApi,
      summary: 'Keys for the DIDtron REST API, with their roles, last use and expiry.',
      empty: 'Create an API key to upload rates and read CDRs from your own systems.',
      permission: 'api_keys.manage',
    },
    {
      label: 'Profile & security',
      path: 'profile',
      icon: IconShieldLock,
      summary: 'Your name, password, two-factor authentication and sign-in history.',
      empty: 'Profile and security settings will be managed here.',
    },
  ],
};
