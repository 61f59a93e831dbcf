// Contracts of the reports and notifications endpoints.
import { z } from 'zod';
import { SUMMARY_PERIODS } from '../domain/report-periods';
import { branchSchema } from './complaint.schema';
import { cursorSchema } from './fields.schema';

export const kpiQuery = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    branch: branchSchema.optional(),
  })
  .strict()
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be after from', params: { rule: 'after_from' } });

const kpi = z.object({
  key: z.string(),
  title: z.string(),
  numerator: z.number().int(),
  denominator: z.number().int(),
  value: z.number().nullable(),
  unit: z.enum(['percent', 'count']),
  target: z.object({ op: z.enum(['<', '<=', '>', '>=', '=']), value: z.number() }),
  met: z.boolean().nullable(),
});

export const kpiReport = z
  .object({ from: z.string(), to: z.string(), branch: z.string().nullable(), policyVersion: z.string(), kpis: z.array(kpi) })
  .meta({ id: 'KpiReport' });

export const summariesQuery = z
  .object({
    period: z.enum(SUMMARY_PERIODS).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const summaryList = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        period: z.enum(SUMMARY_PERIODS),
        label: z.string(),
        from: z.string(),
        to: z.string(),
        createdAt: z.string(),
        kpis: z.array(kpi),
        branches: z.array(z.object({ branch: z.string(), kpis: z.array(kpi) })),
      }),
    ),
  })
  .meta({ id: 'SummaryList' });

export const notificationsQuery = z
  .object({
    unread: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: cursorSchema.optional(),
  })
  .strict();

export const notificationParams = z.object({ id: z.string().min(3).max(200) });

export const notificationView = z.object({
  id: z.string(),
  caseId: z.string(),
  caseType: z.string(),
  type: z.string(),
  recipientRole: z.string(),
  branch: z.string().nullable(),
  level: z.string().nullable(),
  message: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});

export const notificationList = z.object({ items: z.array(notificationView), nextCursor: z.string().nullable() }).meta({ id: 'NotificationList' });
