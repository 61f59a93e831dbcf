// HTTP routes of the lookups: a customer by phone, the contracts list.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { CONTRACT_ROLES, CUSTOMER_VIEWERS } from '../../domain/authority';
import { contractPage, customerMatch, customerQuery, listContractsQuery } from '../../schemas/lookup.schema';
import type { StaffUser } from '../auth';
import { mountRoute } from '../route';
import type { createLookupService } from '../services/lookups.service';

type Authenticate = (header: string | undefined) => Promise<StaffUser>;

export function lookupRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, service: ReturnType<typeof createLookupService>): void {
  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/customers',
    summary: 'Find a customer by phone: their contracts and complaints in the caller’s branches',
    tags: ['lookups'],
    roles: CUSTOMER_VIEWERS,
    rules: [
      'Exact match on the number’s digits (spaces, dashes and a leading +86 or 0086 on a mobile number do not matter); at most 50 contracts and 50 complaints, newest first.',
      'Only roles that call customers; staff and crew complaints only for their handlers.',
    ],
    query: customerQuery,
    responses: { 200: { description: 'What the number is on file for (empty lists when nothing)', schema: customerMatch } },
    handler: async ({ query, user }) => ({ status: 200, body: await service.customerByPhone(query.phone, user) }),
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/contracts',
    summary: 'List contracts (filters branch, phase, overdue; cursor pagination, newest first)',
    tags: ['contracts'],
    roles: CONTRACT_ROLES.read,
    rules: ['cursor is opaque: pass nextCursor of the previous page; a well-formed cursor this API did not issue answers 422 (rule opaque_cursor).'],
    query: listContractsQuery,
    responses: { 200: { description: 'One page of contracts', schema: contractPage } },
    handler: async ({ query, user }) => ({ status: 200, body: await service.listContracts(query, user) }),
  });
}
