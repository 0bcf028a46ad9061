import {
  IconApi,
  IconCreditCard,
  IconHash,
  IconLayoutDashboard,
  IconLifebuoy,
  IconListDetails,
  IconPlugConnected,
  IconShieldLock,
  IconSitemap,
  IconUsersGroup,
} from '@tabler/icons-react';
import type { Portal } from '../shell/nav';

/** The customer's self-service portal (plan task 47). */
export const customerPortal: Portal = {
  kind: 'customer',
  name: 'Customer portal',
  shortName: 'Customer',
  basePath: '/portal',
  nav: [
    {
      label: 'Dashboard',
      path: '',
      icon: IconLayoutDashboard,
      summary: 'Your balance, services, recent calls and alerts at a glance.',
      empty: 'Once you have a trunk or a number, your activity shows up here.',
    },
    {
      label: 'SIP trunks',
      path: 'trunks',
      icon: IconPlugConnected,
      summary: 'Connect your PBX or dialer: credentials, allowed IPs, codecs and limits.',
      empty: 'Create a SIP trunk to start making calls.',
    },
    {
      label: 'Numbers',
      path: 'numbers',
      icon: IconHash,
      summary: 'Your phone numbers (DIDs), where they ring, and new numbers to order.',
      empty: 'Order a number in any country we cover.',
    },
    {
      label: 'PBX',
      path: 'pbx',
      icon: IconSitemap,
      summary: 'Extensions, IVR menus, ring groups, queues and voicemail.',
      empty: 'Add extensions and an IVR to run your phone system in the cloud.',
    },
    {
      label: 'Billing',
      path: 'billing',
      icon: IconCreditCard,
      summary: 'Balance, invoices, payments and automatic top-up.',
      empty: 'Invoices and payments appear here.',
    },
    {
      label: 'CDRs',
      path: 'cdrs',
      icon: IconListDetails,
      summary: 'Every call with its destination, duration and cost.',
      empty: 'Call records appear here after your first call.',
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
    },
    {
      label: 'API keys',
      path: 'api-keys',
      icon: IconApi,
      summary: 'Keys for the DIDtron REST API, with their scopes and last use.',
      empty: 'Create an API key to automate your account.',
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
