import {
  IconCreditCard,
  IconLayoutDashboard,
  IconLifebuoy,
  IconListDetails,
  IconReceiptDollar,
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
    },
    {
      label: 'CDRs',
      path: 'cdrs',
      icon: IconListDetails,
      summary: 'Every call we sent you, with duration and cost.',
      empty: 'Call records appear here after the first call.',
    },
    {
      label: 'Billing',
      path: 'billing',
      icon: IconCreditCard,
      summary: 'Invoices and payments between you and the operator.',
      empty: 'Invoices and payments appear here.',
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
  ],
};
