/** The one route table: every endpoint of /api/v1, in the order the README documents them. */
import type { RouteDef } from './route.ts';
import { register } from './routes/auth/register.ts';
import { login } from './routes/auth/login.ts';
import { verify } from './routes/auth/verify.ts';
import { logout } from './routes/auth/logout.ts';
import { logoutAll } from './routes/auth/logout-all.ts';
import { createToken } from './routes/auth/tokens-create.ts';
import { listTokensRoute } from './routes/auth/tokens-list.ts';
import { revokeTokenRoute } from './routes/auth/tokens-revoke.ts';
import { publish } from './routes/packages/publish.ts';
import { showPackage } from './routes/packages/show.ts';
import { listVersions } from './routes/packages/versions.ts';
import { showVersion } from './routes/packages/version-show.ts';
import { downloadTarball, headTarball } from './routes/packages/tarball.ts';
import { deleteVersionRoute } from './routes/packages/delete.ts';
import { listDistTagsRoute } from './routes/packages/dist-tags-list.ts';
import { setDistTagRoute } from './routes/packages/dist-tags-set.ts';
import { removeDistTagRoute } from './routes/packages/dist-tags-remove.ts';
import { deprecatePackageRoute, deprecateVersionRoute } from './routes/packages/deprecate.ts';
import { undeprecatePackageRoute, undeprecateVersionRoute } from './routes/packages/undeprecate.ts';
import { listOwnersRoute } from './routes/packages/owners-list.ts';
import { inviteOwnerRoute } from './routes/packages/owners-invite.ts';
import { packageInvitationsRoute } from './routes/packages/owners-invitations.ts';
import { cancelInvitationRoute } from './routes/packages/owners-invitation-cancel.ts';
import { removeOwnerRoute } from './routes/packages/owners-remove.ts';
import { listInvitationsRoute } from './routes/auth/invitations-list.ts';
import { acceptInvitationRoute, declineInvitationRoute } from './routes/auth/invitations-answer.ts';
import { unyankRoute, yankRoute } from './routes/packages/yank.ts';
import { search } from './routes/search/search.ts';
import { suggest } from './routes/search/suggest.ts';
import { trending } from './routes/packages/trending.ts';
import { recent } from './routes/packages/recent.ts';
import { stats } from './routes/stats/stats.ts';
import { health, live, ready } from './routes/health/health.ts';
import { accountAuditRoute } from './routes/auth/audit.ts';
import { packageAuditRoute } from './routes/packages/audit.ts';
import { adminAuditRoute } from './routes/admin/audit.ts';
import { adminDashboardRoute } from './routes/admin/dashboard.ts';
import { listReservedNamesRoute, releaseNameRoute, reserveNameRoute } from './routes/admin/reserved-names.ts';
import { lockPackageRoute, unlockPackageRoute } from './routes/admin/package-lock.ts';
import { createWebhookRoute } from './routes/webhooks/create.ts';
import { listWebhooksRoute } from './routes/webhooks/list.ts';
import { listChangesRoute } from './routes/changes/list.ts';
import { showWebhookRoute } from './routes/webhooks/show.ts';
import { updateWebhookRoute } from './routes/webhooks/update.ts';
import { deleteWebhookRoute } from './routes/webhooks/delete.ts';
import { rotateWebhookSecretRoute } from './routes/webhooks/rotate-secret.ts';
import { pingWebhookRoute } from './routes/webhooks/ping.ts';
import { listDeliveriesRoute, redeliverRoute, showDeliveryRoute } from './routes/webhooks/deliveries.ts';
import { showAdvisoryRoute } from './routes/advisories/show.ts';
import { createAdvisoryRoute } from './routes/advisories/create.ts';
import { updateAdvisoryRoute } from './routes/advisories/update.ts';
import { packageAdvisoriesRoute } from './routes/advisories/package-list.ts';
import { queryAdvisoriesRoute } from './routes/advisories/query.ts';

export const routes: readonly RouteDef[] = [
  register,
  login,
  verify,
  logout,
  logoutAll,
  createToken,
  listTokensRoute,
  revokeTokenRoute,
  publish,
  showPackage,
  listVersions,
  showVersion,
  // HEAD first: declared after GET, it would clash with the HEAD route Fastify derives from GET.
  headTarball,
  downloadTarball,
  deleteVersionRoute,
  listDistTagsRoute,
  setDistTagRoute,
  removeDistTagRoute,
  deprecatePackageRoute,
  undeprecatePackageRoute,
  deprecateVersionRoute,
  undeprecateVersionRoute,
  listOwnersRoute,
  inviteOwnerRoute,
  packageInvitationsRoute,
  cancelInvitationRoute,
  removeOwnerRoute,
  listInvitationsRoute,
  acceptInvitationRoute,
  declineInvitationRoute,
  yankRoute,
  unyankRoute,
  search,
  suggest,
  trending,
  recent,
  stats,
  health,
  live,
  ready,
  // Admins and the audit log.
  accountAuditRoute,
  packageAuditRoute,
  adminAuditRoute,
  adminDashboardRoute,
  listReservedNamesRoute,
  reserveNameRoute,
  releaseNameRoute,
  lockPackageRoute,
  unlockPackageRoute,
  // Webhooks.
  createWebhookRoute,
  listWebhooksRoute,
  listChangesRoute,
  showWebhookRoute,
  updateWebhookRoute,
  deleteWebhookRoute,
  rotateWebhookSecretRoute,
  pingWebhookRoute,
  listDeliveriesRoute,
  showDeliveryRoute,
  redeliverRoute,
  // Advisories.
  createAdvisoryRoute,
  queryAdvisoriesRoute,
  showAdvisoryRoute,
  updateAdvisoryRoute,
  packageAdvisoriesRoute,
];
