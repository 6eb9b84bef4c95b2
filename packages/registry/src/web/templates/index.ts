/** Every template by name (loaded into Eta as `@name`). */
import { layout } from './layout.ts';
import { packageList } from './package-list.ts';
import { pager } from './pager.ts';
import { dependentsSection, packagePage } from './package.ts';
import { home } from './home.ts';
import { searchPage } from './search.ts';
import { userPage } from './user.ts';
import { loginPage, registerPage } from './auth.ts';
import { accountNav, accountPage } from './account.ts';
import { errorPage } from './error.ts';
import { dashboardPage } from './dashboard.ts';
import { ownerTools } from './owners.ts';
import { webhookDeliveries, webhooksPage } from './webhooks.ts';

export const TEMPLATES = {
  layout,
  'package-list': packageList,
  pager,
  package: packagePage,
  dependents: dependentsSection,
  home,
  search: searchPage,
  user: userPage,
  login: loginPage,
  register: registerPage,
  account: accountPage,
  'account-nav': accountNav,
  error: errorPage,
  dashboard: dashboardPage,
  'owner-tools': ownerTools,
  webhooks: webhooksPage,
  'webhook-deliveries': webhookDeliveries,
} as const;
