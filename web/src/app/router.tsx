import { IconLogin, IconUserPlus } from '@tabler/icons-react';
import { createBrowserRouter } from 'react-router';
import { adminPortal } from '../admin/portal';
import { carrierPortal } from '../carrier/portal';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RouteErrorPage } from '../pages/RouteErrorPage';
import { customerPortal } from '../portal/portal';
import { portalRoute } from '../shell/portalRoute';
import { ComingSoonPage } from '../website/ComingSoonPage';
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
      {
        path: 'login',
        element: (
          <ComingSoonPage
            icon={IconLogin}
            title="Sign in"
            message="Signing in to DIDtron is coming soon. Your portal for trunks, numbers and billing will open from here."
          />
        ),
      },
      {
        path: 'register',
        element: (
          <ComingSoonPage
            icon={IconUserPlus}
            title="Create your account"
            message="Self-service sign-up is coming soon. You will choose the kind of account that fits you and be up and running in minutes."
          />
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  portalRoute(adminPortal),
  portalRoute(customerPortal),
  portalRoute(carrierPortal),
]);
