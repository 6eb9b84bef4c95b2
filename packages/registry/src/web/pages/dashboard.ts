/**
 * The admin dashboard page (GET /admin/dashboard?range=hour|day|month): the same numbers as
 * GET /api/v1/admin/dashboard, in the site's layout, with two bar charts and no script. Anonymous
 * visitors are sent to log in; signed-in users who are not admins get a 403 page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '../../../../core/src/errors.ts';
import type { DashboardRange } from '../../metrics/dashboard-range.ts';
import { dashboardFor, readRange } from '../../server/routes/admin/dashboard.ts';
import type { DashboardView } from '../../server/views/dashboard.ts';
import type { AppDeps } from '../../server/deps.ts';
import { intervalChart } from '../interval-chart.ts';
import { sendPage } from '../render.ts';
import { webSession } from '../session.ts';

const RANGES: Array<{ range: DashboardRange; label: string; span: string }> = [
  { range: 'hour', label: 'Last hour', span: 'last 60 minutes' },
  { range: 'day', label: 'Last day', span: 'last 24 hours' },
  { range: 'month', label: 'Last 30 days', span: 'last 30 days' },
];

export async function dashboardPage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const session = await webSession(deps, request);
  if (!session) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  if (!session.isAdmin)
    throw forbidden(
      'admin_required',
      'The dashboard is for the registry\'s admins; an admin is made on the server with "npm run admin -- grant NAME".',
    );
  const range = readRange(request.query as Record<string, unknown>);
  const view = await dashboardFor(deps, range);
  return sendPage(deps, request, reply, {
    template: 'dashboard',
    title: 'Dashboard',
    session,
    data: { d: view, ranges: RANGES.map((r) => ({ ...r, current: r.range === range })), charts: charts(view), show },
  });
}

/** A bar's label: the minute or hour (UTC) or the day. */
function barLabel(start: string, interval: DashboardView['interval']): string {
  if (interval === 'minute') return start.slice(11, 16);
  if (interval === 'hour') return `${start.slice(5, 10)} ${start.slice(11, 13)}:00`;
  return start.slice(0, 10);
}

function charts(view: DashboardView) {
  const span = RANGES.find((r) => r.range === view.range)!.span;
  const chart = (what: 'publishes' | 'downloads', title: string) =>
    intervalChart({
      id: `chart-${what}`,
      what,
      title: `${title} per ${view.interval}, ${span}`,
      bars: view.series.map((s) => ({ label: barLabel(s.start, view.interval), value: s[what] })),
    });
  return { publishes: chart('publishes', 'Versions published'), downloads: chart('downloads', 'Downloads') };
}

/** Formatters for the page's figures (the template escapes what they return). */
const show = {
  ms: (v: number | null) => (v === null ? '–' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`),
  rate: (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(v > 0 && v < 0.001 ? 3 : 1)} %`),
  time: (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
  uptime(seconds: number) {
    const d = Math.floor(seconds / 86_400);
    const h = Math.floor((seconds % 86_400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min` : `${seconds} s`;
  },
};
