// HTTP routes of a complaint's attachments: metadata only (name, type, size, who, when), the file stays in a document store.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { ACTION_ROLES } from '../../domain/authority';
import { attachmentBody, attachmentList, attachmentView } from '../../schemas/case-file.schema';
import { complaintParams, idempotencyHeaders } from '../../schemas/complaint.schema';
import type { StaffUser } from '../auth';
import { mountRoute } from '../route';
import { ATTACH_ROLES, type createAttachmentService } from '../services/attachments.service';
import type { createComplaintService } from '../services/complaints.service';

type Authenticate = (header: string | undefined) => Promise<StaffUser>;
interface Services {
  attachments: ReturnType<typeof createAttachmentService>;
  complaints: ReturnType<typeof createComplaintService>;
}

export function attachmentRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, { attachments, complaints }: Services): void {
  const NAME_RULE = 'name is shown only to roles that may see the complainant (a file name can carry personal data); it never reaches Temporal or the logs.';
  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/complaints/{id}/attachments',
    summary: 'Record the metadata of a file attached to a complaint (name, media type, size)',
    tags: ['complaints'],
    roles: ATTACH_ROLES,
    rules: [NAME_RULE, 'With an Idempotency-Key a repeat answers the first attachment (200); another body under the same key is 409.'],
    params: complaintParams,
    visible: ({ id }, user) => complaints.findVisible(id, user),
    headers: idempotencyHeaders,
    body: attachmentBody,
    responses: {
      201: { description: 'Attachment recorded', schema: attachmentView },
      200: { description: 'Repeat of an Idempotency-Key: the first attachment', schema: attachmentView },
    },
    errors: ['NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED'],
    handler: async ({ params, body, user, headers }) => {
      const doc = await complaints.findVisible(params.id, user);
      const { created, view } = await attachments.add(doc, body, user, headers['idempotency-key']);
      return { status: created ? 201 : 200, body: view };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/complaints/{id}/attachments',
    summary: 'The attachments of a complaint, oldest first (metadata only)',
    tags: ['complaints'],
    roles: ACTION_ROLES.read,
    rules: [NAME_RULE],
    params: complaintParams,
    visible: ({ id }, user) => complaints.findVisible(id, user),
    responses: { 200: { description: 'Every attachment of the case', schema: attachmentList } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user }) => {
      const doc = await complaints.findVisible(params.id, user);
      return { status: 200, body: { items: await attachments.list(doc, user.roles) } };
    },
  });
}
