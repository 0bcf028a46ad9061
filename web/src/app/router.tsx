import { createBrowserRouter } from 'react-router';
import { AcceptInvitePage } from '../account/public/AcceptInvitePage';
import { ForgotPasswordPage } from '../account/public/ForgotPasswordPage';
import { LoginPage } from '../account/public/LoginPage';
import { RegisterPage } from '../account/public/RegisterPage';
import { ResetPasswordPage } from '../account/public/ResetPasswordPage';
import { VerifyEmailPage } from '../account/public/VerifyEmailPage';
import { ApiKeysPage } from '../account/api-keys/ApiKeysPage';
import { ProfilePage } from '../account/profile/ProfilePage';
import { TeamPage } from '../account/team/TeamPage';
import { adminPortal } from '../admin/portal';
import { adminConfigScreens } from '../admin/screens';
import { MailOutbox } from '../admin/system/MailOutbox';
import { carrierPortal } from '../carrier/portal';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RouteErrorPage } from '../pages/RouteErrorPage';
import { SipTrunksPage } from '../portal/choices/SipTrunksPage';
import { customerPortal } from '../portal/portal';
import { portalRoute } from '../shell/portalRoute';
import { HomePage } from '../website/HomePage';
import { WebsiteLayout } from '../website/WebsiteLayout';

/** Every URL of the single-page app. The server sends index.html for all non-/api paths. */
export const router = createBrowserRouter([
  {
    path: '/',
    element: <WebsiteLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'register', element: <RegisterPage /> },
      // Links in e-mails (crates/server/src/identity/mails.rs) point at these three.
      { path: 'verify-email', element: <VerifyEmailPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'accept-invite', element: <AcceptInvitePage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  portalRoute(adminPortal, {
    ...adminConfigScreens,
    'system/team': TeamPage,
    'system/api-keys': ApiKeysPage,
    'system/outbox': MailOutbox,
    profile: ProfilePage,
  }),
  portalRoute(customerPortal, { trunks: SipTrunksPage, team: TeamPage, 'api-keys': ApiKeysPage, profile: ProfilePage }),
  portalRoute(carrierPortal, { team: TeamPage, 'api-keys': ApiKeysPage, profile: ProfilePage }),
]);
