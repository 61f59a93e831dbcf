// KPI reports, stored summaries and the caller's notifications.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { computeKpis } from '../../db/kpi-queries';
import { notificationPayload, type Models } from '../../db/models';
import type { Role } from '../../domain/roles';
import type { Policy } from '../../schemas/policy.schema';
import {
  kpiQuery,
  kpiReport,
  notificationList,
  notificationParams,
  notificationsQuery,
  notificationView,
  summariesQuery,
  summaryList,
} from '../../schemas/report.schema';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor } from '../cursor';
import { mountRoute } from '../route';
import { ROLES } from '../../domain/roles';

type Authenticate = (header: string | undefined) => Promise<StaffUser>;
const MANAGERS: readonly Role[] = ['supervisor', 'director', 'executive', 'admin'];

/** Branch staff see their own branch's notices; central roles see every branch's notices for their role. */
function notificationFilter(user: StaffUser): Record<string, unknown> {
  const central = user.roles.some((r) => r !== 'branch');
  const filter: Record<string, unknown> = { recipientRole: { $in: user.roles } };
  if (user.branch && !central) filter.branch = user.branch;
  return filter;
}

export function reportRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, models: Models, policy: Policy): void {
  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/reports/kpis',
    summary: 'Every measure of the center for a period: numerator, denominator, value, target, met',
    tags: ['reports'],
    roles: MANAGERS,
    query: kpiQuery,
    responses: { 200: { description: 'The measures', schema: kpiReport } },
    handler: async ({ query, user }) => {
      const branch = user.roles.every((r) => r === 'branch') ? user.branch : query.branch;
      const kpis = await computeKpis(models, policy, { from: new Date(query.from), to: new Date(query.to), branch });
      return { status: 200, body: { from: query.from, to: query.to, branch: branch ?? null, policyVersion: policy.version, kpis } };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/reports/summaries',
    summary: 'Daily, weekly and monthly summaries produced by Temporal Schedules, newest first',
    tags: ['reports'],
    roles: MANAGERS,
    query: summariesQuery,
    responses: { 200: { description: 'Stored summaries', schema: summaryList } },
    handler: async ({ query }) => {
      const docs = await models.Summary.find(query.period ? { period: query.period } : {})
        .sort({ from: -1, _id: 1 })
        .limit(query.limit)
        .lean();
      return {
        status: 200,
        body: {
          items: docs.map((d) => ({
            id: d._id,
            period: d.period,
            label: d.label,
            from: d.from.toISOString(),
            to: d.to.toISOString(),
            createdAt: d.createdAt.toISOString(),
            kpis: d.kpis,
          })),
        },
      };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/notifications',
    summary: "Notifications for the caller's roles (and branch), newest first",
    tags: ['notifications'],
    roles: ROLES,
    query: notificationsQuery,
    responses: { 200: { description: 'One page of notifications', schema: notificationList } },
    handler: async ({ query, user }) => {
      const filter: Record<string, unknown>[] = [notificationFilter(user)];
      if (query.unread === true) filter.push({ readBy: { $ne: user.sub } });
      const cursor = decodeCursor(query.cursor);
      // Several roles' notices of one event share createdAt: the id breaks the tie so no page skips one.
      if (cursor) filter.push({ $or: [{ createdAt: { $lt: cursor.at } }, { createdAt: cursor.at, _id: { $lt: cursor.id } }] });
      const docs = await models.Notification.find({ $and: filter }).sort({ createdAt: -1, _id: -1 }).limit(query.limit + 1).lean();
      const page = docs.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        status: 200,
        body: {
          items: page.map((n) => ({ ...notificationPayload(n), read: (n.readBy ?? []).includes(user.sub) })),
          nextCursor: docs.length > query.limit && last ? encodeCursor(last.createdAt, last._id) : null,
        },
      };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/notifications/{id}/read',
    summary: 'Mark a notification as read (idempotent)',
    tags: ['notifications'],
    roles: ROLES,
    params: notificationParams,
    responses: { 200: { description: 'The notification, read', schema: notificationView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user }) => {
      const filter = { _id: params.id, ...notificationFilter(user) };
      const res = await models.Notification.updateOne(filter, { $addToSet: { readBy: user.sub } });
      if (res.matchedCount === 0) throw new AppError('NOT_FOUND', `notification ${params.id} not found`);
      const n = (await models.Notification.findById(params.id).lean())!;
      return { status: 200, body: { ...notificationPayload(n), read: true } };
    },
  });
}
