import type { ComponentType } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { PageLoading } from '../components/PageLoading';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RouteErrorPage } from '../pages/RouteErrorPage';
import { HomePage } from '../website/HomePage';
import { WebsiteLayout } from '../website/WebsiteLayout';

/**
 * A route whose code is fetched on the first visit: the first load of any page carries the
 * website's shell and the home page, nothing else (web/scripts/size-budget.mjs keeps it so).
 */
function onDemand(load: () => Promise<ComponentType>): Pick<RouteObject, 'lazy'> {
  return { lazy: async () => ({ Component: await load() }) };
}

/** A signed-in portal: its navigation, shell and screens load when it is first opened. */
function portal(basePath: string, load: () => Promise<ComponentType>): RouteObject {
  return { path: `${basePath}/*`, ...onDemand(load), errorElement: <RouteErrorPage />, hydrateFallbackElement: <PageLoading /> };
}

/** Every URL of the single-page app. The server sends index.html for all non-/api paths. */
export const router = createBrowserRouter([
  {
    path: '/',
    element: <WebsiteLayout />,
    errorElement: <RouteErrorPage />,
    hydrateFallbackElement: <PageLoading />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'login', ...onDemand(() => import('../account/public/LoginPage').then((m) => m.LoginPage)) },
      { path: 'register', ...onDemand(() => import('../account/public/RegisterPage').then((m) => m.RegisterPage)) },
      // Links in e-mails (crates/server/src/identity/mails.rs) point at these three.
      { path: 'verify-email', ...onDemand(() => import('../account/public/VerifyEmailPage').then((m) => m.VerifyEmailPage)) },
      { path: 'reset-password', ...onDemand(() => import('../account/public/ResetPasswordPage').then((m) => m.ResetPasswordPage)) },
      { path: 'accept-invite', ...onDemand(() => import('../account/public/AcceptInvitePage').then((m) => m.AcceptInvitePage)) },
      { path: 'forgot-password', ...onDemand(() => import('../account/public/ForgotPasswordPage').then((m) => m.ForgotPasswordPage)) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  portal('/admin', () => import('../admin/AdminPortal').then((m) => m.AdminPortal)),
  portal('/portal', () => import('../portal/CustomerPortal').then((m) => m.CustomerPortal)),
  portal('/carrier', () => import('../carrier/CarrierPortal').then((m) => m.CarrierPortal)),
]);
