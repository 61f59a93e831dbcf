// Lookups: a customer by phone, the contracts list.
import { z } from 'zod';
import { COMPLAINT_KINDS, COMPLAINT_STATUSES, STEPS } from '../domain/complaint.rules';
import { PHASES } from '../domain/schedule.rules';
import { branchSchema } from './complaint.schema';
import { cursorSchema, phoneSchema } from './fields.schema';

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const customerQuery = z.object({ phone: phoneSchema.describe('Matched on its digits; a mobile number with or without +86') }).strict();

export const customerMatch = z
  .object({
    contracts: z.array(
      z.object({
        contractNo: z.string(),
        branch: z.string(),
        phase: z.enum(PHASES),
        customer: z.object({ name: z.string().optional(), phone: z.string().optional() }),
      }),
    ),
    complaints: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(COMPLAINT_KINDS),
        status: z.enum(COMPLAINT_STATUSES),
        step: z.enum(STEPS).optional(),
        branch: z.string().optional(),
        contractNo: z.string().optional(),
        createdAt: z.string(),
        complainant: z.object({ name: z.string().optional(), phone: z.string().optional() }),
      }),
    ),
  })
  .meta({
    id: 'CustomerMatch',
    example: {
      contracts: [{ contractNo: 'HZ-2026-001', branch: 'north', phase: 'construction', customer: { name: 'Wang Fang', phone: '13800001111' } }],
      complaints: [
        {
          id: 'C-0123456789abcdef',
          kind: 'customer',
          status: 'open',
          step: 'follow_up',
          branch: 'north',
          createdAt: '2026-11-20T08:00:00.000Z',
          complainant: { name: 'Wang Fang', phone: '13800001111' },
        },
      ],
    },
  });

export const listContractsQuery = z
  .object({
    branch: branchSchema.optional(),
    phase: z.enum(PHASES).optional(),
    overdue: boolQuery.optional().describe('true: contracts with an overdue or escalated call; false: without one'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: cursorSchema.optional(),
  })
  .strict();
export type ListContractsQuery = z.infer<typeof listContractsQuery>;

export const contractListItem = z
  .object({
    contractNo: z.string(),
    branch: z.string(),
    phase: z.enum(PHASES),
    contractSignedAt: z.string(),
    plannedCompletionAt: z.string(),
    assignee: z.string().optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'ContractListItem' });

export const contractPage = z.object({ items: z.array(contractListItem), nextCursor: z.string().nullable() }).meta({ id: 'ContractPage' });
