// KPI reports, stored summaries and the caller's notifications.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { computeKpis } from '../../db/kpi-queries';
import { notificationPayload, type Models, type NotificationDoc } from '../../db/models';
import { NOTIFICATION_ROLES, recipientRoles, REPORT_ROLES } from '../../domain/authority';
import { caseScope } from '../../domain/scope';
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
import { keysetPage, scopeFilter } from '../services/case-workflows';

type NotificationLean = NotificationDoc & { _id: string };
type Authenticate = (header: string | undefined) => Promise<StaffUser>;

/** Notices for the caller's roles, within the caller's branches (the scope function; the hotline also sees unassigned cases' notices). */
function notificationFilter(user: StaffUser): Record<string, unknown> {
  const roles = { recipientRole: { $in: recipientRoles(user.roles) } };
  const scoped = scopeFilter(user, { unassignedToHotline: true });
  return scoped ? { $and: [roles, scoped] } : roles;
}

/** The branch a report covers: the one asked for, which a branch-scoped caller must serve (one of theirs when not asked). */
function reportBranch(user: StaffUser, asked: string | undefined): string | undefined {
  const scope = caseScope(user);
  if ('all' in scope) return asked;
  const branch = asked ?? (scope.branches.length === 1 ? scope.branches[0] : undefined);
  if (!branch || !scope.branches.includes(branch)) {
    throw new AppError('OUTSIDE_BRANCH', 'a branch-scoped caller reads reports of one of its own branches', [
      { field: 'query.branch', rule: 'caller_branch', message: 'must be one of the branches of the token' },
    ]);
  }
  return branch;
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
    errors: ['OUTSIDE_BRANCH'],
    handler: async ({ query, user }) => {
      const branch = reportBranch(user, query.branch);
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
    errors: ['OUTSIDE_BRANCH'],
    handler: async ({ query, user }) => {
      // Stored summaries cover the whole center: only callers who see every branch read them.
      if (!('all' in caseScope(user)))
        throw new AppError('OUTSIDE_BRANCH', 'stored summaries cover every branch; a branch-scoped caller reads /reports/kpis of its branch');
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
            branches: (d.branches ?? []) as { branch: string; kpis: unknown[] }[],
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
