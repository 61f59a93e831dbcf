// HTTP routes of an assistant's day: the worklist, assigning work, notes and call attempts, tasks done by hand.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { z } from 'zod';
import { ACTION_ROLES } from '../../domain/authority';
import { ASSIGN_ROLES, TASK_ROLES } from '../../domain/worklist.rules';
import { complaintParams, idempotencyHeaders } from '../../schemas/complaint.schema';
import { callbackParams, contractParams } from '../../schemas/contract.schema';
import {
  assignmentBody,
  assignmentView,
  caseNoteBody,
  caseNoteView,
  listWorklistQuery,
  taskDoneBody,
  taskParams,
  taskView,
  worklistPage,
} from '../../schemas/worklist.schema';
import type { StaffUser } from '../auth';
import { mountRoute } from '../route';
import type { AssignTarget, CaseType, createCaseWorkService } from '../services/case-work.service';
import type { createWorklistService } from '../services/worklist.service';

type Authenticate = (header: string | undefined) => Promise<StaffUser>;
interface Services {
  worklist: ReturnType<typeof createWorklistService>;
  work: ReturnType<typeof createCaseWorkService>;
}

const TARGETS: { type: AssignTarget; path: string; params: z.ZodObject; id: (p: Record<string, string>) => string; tag: string }[] = [
  { type: 'complaint', path: '/complaints/{id}', params: complaintParams, id: (p) => p.id!, tag: 'complaints' },
  { type: 'contract', path: '/contracts/{contractNo}', params: contractParams, id: (p) => p.contractNo!, tag: 'contracts' },
  { type: 'callback', path: '/callbacks/{id}', params: callbackParams, id: (p) => p.id!, tag: 'callbacks' },
];

export function worklistRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, { worklist, work }: Services): void {
  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/worklist',
    summary: 'What the caller must act on now: complaint steps, calls due today or overdue, tasks (earliest due first)',
    tags: ['worklist'],
    roles: ACTION_ROLES.read,
    rules: [
      'Items are those of the caller’s roles and branches; calls and tasks due after today (policy time zone) are not listed yet.',
      'Without assignee, an assistant sees their own items and the unassigned ones, other roles every item; customer name and phone only for roles that call customers.',
      'cursor is opaque: pass nextCursor of the previous page; a well-formed cursor this API did not issue answers 422 (rule opaque_cursor).',
    ],
    query: listWorklistQuery,
    responses: { 200: { description: 'One page of the worklist, earliest due first', schema: worklistPage } },
    handler: async ({ query, user }) => ({ status: 200, body: await worklist.list(query, user) }),
  });

  for (const t of TARGETS) {
    mountRoute(router, registry, authenticate, {
      method: 'post',
      path: `${t.path}/assignee`,
      summary: `Give the ${t.type} to a named assistant (the latest assignment of a case or call decides)`,
      tags: ['worklist', t.tag],
      roles: ASSIGN_ROLES,
      rules: ['Naturally idempotent: the same assignee again changes nothing and answers the same assignment.'],
      params: t.params,
      visible: (params, user) => work.visible(t.type, t.id(params as Record<string, string>), user),
      body: assignmentBody,
      responses: { 200: { description: 'The assignment as stored', schema: assignmentView } },
      errors: ['NOT_FOUND', ...(t.type === 'callback' ? (['INVALID_STATE'] as const) : [])],
      handler: async ({ params, body, user }) => ({
        status: 200,
        body: await work.assign(t.type, t.id(params as Record<string, string>), body.assignee, user),
      }),
    });
  }

  for (const t of TARGETS.filter((x): x is (typeof TARGETS)[number] & { type: CaseType } => x.type !== 'callback')) {
    mountRoute(router, registry, authenticate, {
      method: 'post',
      path: `${t.path}/notes`,
      summary: `Add a plain note or log a call attempt on a ${t.type} (kept in its file, never in the workflow)`,
      tags: ['worklist', t.tag],
      roles: ACTION_ROLES.read,
      rules: [
        'reached is required for, and only accepted with, a call_attempt (422 RULE_VIOLATED, rules required_for_call_attempt / only_for_call_attempt); a note needs text (required_for_note).',
      ],
      params: t.params,
      visible: (params, user) => work.visible(t.type, t.id(params as Record<string, string>), user),
      headers: idempotencyHeaders,
      body: caseNoteBody,
      responses: {
        201: { description: 'Note recorded', schema: caseNoteView },
        200: { description: 'Repeat of an Idempotency-Key: the first note', schema: caseNoteView },
      },
      errors: ['NOT_FOUND'],
      handler: async ({ params, body, user, headers }) => {
        const { created, note } = await work.addNote(t.type, t.id(params as Record<string, string>), body, user, headers['idempotency-key']);
        return { status: created ? 201 : 200, body: note };
      },
    });
  }

  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/tasks/{id}/done',
    summary: 'Mark a task done that no case action settles (a post-repair call without a contract schedule)',
    tags: ['worklist'],
    roles: TASK_ROLES,
    rules: ['Naturally idempotent: a done task answers as it is. A survey task is settled by POST /v1/complaints/{id}/survey (409 INVALID_STATE).'],
    params: taskParams,
    visible: ({ id }, user) => work.visibleTask(id, user),
    body: taskDoneBody,
    responses: { 200: { description: 'The task, done', schema: taskView } },
    errors: ['NOT_FOUND', 'INVALID_STATE'],
    handler: async ({ params, body, user }) => ({ status: 200, body: await work.taskDone(params.id, body.notes, user) }),
  });
}
