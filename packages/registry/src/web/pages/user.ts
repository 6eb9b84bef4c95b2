/** A user's page: who they are (name, joined) and the packages they own, paged. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findUserByUsername } from '../../db/users.ts';
import { ownedPackages } from '../../db/page-lists.ts';
import type { AppDeps } from '../../server/deps.ts';
import { userPath } from '../format.ts';
import { MAX_WINDOW, pageNumber } from '../page-number.ts';
import { pager } from '../pager.ts';
import { sendPage } from '../render.ts';
import { notFoundPage } from './errors.ts';

const PER_PAGE = 30;

export async function userPage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const { username } = request.params as { username: string };
  const user = username.length <= 64 ? await findUserByUsername(deps.db.kysely, username.toLowerCase()) : undefined;
  if (!user || user.is_active !== 1) return notFoundPage(deps, request, reply, `No user is named ${username}.`);
  const page = pageNumber((request.query as Record<string, unknown>).page, MAX_WINDOW / PER_PAGE);
  const packages = await ownedPackages(deps.db.kysely, { userId: user.id, limit: PER_PAGE, offset: (page - 1) * PER_PAGE });
  return sendPage(deps, request, reply, {
    template: 'user',
    title: user.username,
    data: {
      profile: { username: user.username, created_at: user.created_at },
      packages: {
        ...packages,
        pages: pager({
          label: 'Package pages',
          page,
          perPage: PER_PAGE,
          total: packages.total,
          maxPage: MAX_WINDOW / PER_PAGE,
          href: (n) => `${userPath(user.username)}?page=${n}`,
        }),
      },
    },
  });
}
