import { createApp } from '@backstage/frontend-defaults';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPage } from '@backstage/core-components';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import homePlugin from '@backstage/plugin-home/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import monitorPlugin from '@tc-portal/plugin-monitor/alpha';
import { navModule } from './modules/nav';

/** Guest sign-in, as in the legacy demo app. */
const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () => props =>
          <SignInPage {...props} auto providers={['guest']} />,
      },
    }),
  ],
});

export default createApp({
  features: [
    catalogPlugin,
    homePlugin,
    notificationsPlugin,
    searchPlugin,
    signalsPlugin,
    userSettingsPlugin,
    monitorPlugin,
    navModule,
    signInModule,
  ],
});
