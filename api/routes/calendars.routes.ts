// HTTP routes of the working-day calendars (one versioned document per year).
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { ROLES } from '../../domain/roles';
import { calendarParams, calendarPublished, calendarView, publishCalendarBody } from '../../schemas/calendar.schema';
import type { StaffUser } from '../auth';
import { mountRoute } from '../route';
import type { createCalendarService } from '../services/calendars.service';

type Service = ReturnType<typeof createCalendarService>;
type Authenticate = (header: string | undefined) => Promise<StaffUser>;

export function calendarRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, service: Service): void {
  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/calendars/{year}',
    summary: 'The working-day calendar of a year (public holidays, make-up working days, version)',
    tags: ['calendars'],
    roles: ROLES,
    params: calendarParams,
    responses: { 200: { description: 'The calendar', schema: calendarView } },
    errors: ['NOT_FOUND'],
    handler: async ({ params }) => ({ status: 200, body: await service.get(Number(params.year)) }),
  });

  mountRoute(router, registry, authenticate, {
    method: 'put',
    path: '/calendars/{year}',
    summary: 'Publish the working-day calendar of a year; running callback schedules re-plan their calls not yet due in it',
    tags: ['calendars'],
    roles: ['admin'],
    rules: [
      'Every date lies in the year of the path; no date is both a public holiday and a make-up working day; a make-up working day is a weekend day; nothing is listed twice (422 RULE_VIOLATED, rule calendar_consistent).',
      'Idempotent by content: the same days again answer 200 with changed false and the same version; other days make the next version.',
    ],
    params: calendarParams,
    body: publishCalendarBody,
    responses: {
      201: { description: 'First calendar of the year (version 1)', schema: calendarPublished },
      200: { description: 'A new version, or the same days again (changed false)', schema: calendarPublished },
    },
    handler: async ({ params, body, user }) => {
      const { created, body: out } = await service.publish(Number(params.year), body, user);
      return { status: created ? 201 : 200, body: out, headers: { Location: `/v1/calendars/${out.year}` } };
    },
  });
}
