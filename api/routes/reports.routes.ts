// KPI reports, stored summaries and the caller's notifications.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { computeKpis } from '../../db/kpi-queries';
import { notificationPayload, type Models, type NotificationDoc } from '../../db/models';
import { branchScope, NOTIFICATION_ROLES, REPORT_ROLES } from '../../domain/authority';
import type { Policy } from '../../domain/policy';
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
import { mountRoute } from '../route';
import { keysetPage } from '../services/case-workflows';

type NotificationLean = NotificationDoc & { _id: string };
type Authenticate = (header: string | undefined) => Promise<StaffUser>;

/** Branch staff see their own branch's notices; central roles see every branch's notices for their role. */
function notificationFilter(user: StaffUser): Record<string, unknown> {
  const branch = branchScope(user);
  return branch ? { recipientRole: { $in: user.roles }, branch } : { recipientRole: { $in: user.roles } };
}

export function reportRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, models: Models, policy: Policy): void {
  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/reports/kpis',
    summary: 'Every measure of the center for a period: numerator, denominator, value, target, met',
    tags: ['reports'],
    roles: REPORT_ROLES,
    rules: ['to must be after from (422 RULE_VIOLATED, rule after_from).'],
    query: kpiQuery,
    responses: { 200: { description: 'The measures', schema: kpiReport } },
    handler: async ({ query, user }) => {
      const branch = branchScope(user) ?? query.branch;
      const kpis = await computeKpis(models, policy, { from: new Date(query.from), to: new Date(query.to), branch });
      return { status: 200, body: { from: query.from, to: query.to, branch: branch ?? null, policyVersion: policy.version, kpis } };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/reports/summaries',
    summary: 'Daily, weekly, monthly and yearly summaries produced by Temporal Schedules (whole center and one row per branch), newest first',
    tags: ['reports'],
    roles: REPORT_ROLES,
    query: summariesQuery,
    responses: { 200: { description: 'Stored summaries', schema: summaryList } },
    handler: async ({ query, user }) => {
      const own = branchScope(user);
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
            branches: ((d.branches ?? []) as { branch: string; kpis: unknown[] }[]).filter((r) => !own || r.branch === own),
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
    roles: NOTIFICATION_ROLES,
    rules: ['cursor is opaque: pass nextCursor of the previous page; a well-formed cursor this API did not issue answers 422 (rule opaque_cursor).'],
    query: notificationsQuery,
    responses: { 200: { description: 'One page of notifications', schema: notificationList } },
    handler: async ({ query, user }) => {
      const filter: Record<string, unknown>[] = [notificationFilter(user)];
      if (query.unread === true) filter.push({ readBy: { $ne: user.sub } });
      // Several roles' notices of one event share createdAt: the id breaks the tie so no page skips one.
      const { page, nextCursor } = await keysetPage<NotificationLean>(
        (f, sort, limit) => models.Notification.find(f).sort(sort).limit(limit).lean(),
        filter,
        'createdAt',
        -1,
        query,
      );
      return {
        status: 200,
        body: {
          items: page.map((n) => ({ ...notificationPayload(n), read: (n.readBy ?? []).includes(user.sub) })),
          nextCursor,
        },
      };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/notifications/{id}/read',
    summary: 'Mark a notification as read (idempotent)',
    tags: ['notifications'],
    roles: NOTIFICATION_ROLES,
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
