// HTTP routes of a complaint's attachments: metadata only (name, type, size, who, when), the file stays in a document store.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { ACTION_ROLES } from '../../domain/authority';
import { attachmentBody, attachmentList, attachmentView, contractRecordingBody } from '../../schemas/case-file.schema';
import { contractParams } from '../../schemas/contract.schema';
import { complaintParams, idempotencyHeaders } from '../../schemas/complaint.schema';
import type { StaffUser } from '../auth';
import { mountRoute } from '../route';
import { ATTACH_ROLES, type createAttachmentService } from '../services/attachments.service';
import type { createComplaintService } from '../services/complaints.service';
import type { createContractService } from '../services/contracts.service';

type Authenticate = (header: string | undefined) => Promise<StaffUser>;
interface Services {
  attachments: ReturnType<typeof createAttachmentService>;
  complaints: ReturnType<typeof createComplaintService>;
  contracts: ReturnType<typeof createContractService>;
}
const RECORDING_RULES = [
  'kind call_recording needs recording (422 RULE_VIOLATED, rule required_for_recording) and an audio media type (rule recording_media_type); recording is refused on a plain file (rule only_for_recording).',
  'recording.staff is the staff id who took or made the call (the recorder when omitted); the customer’s number is never stored with it.',
];
/** Who records a call with a contract's customer: the people who call them. */
const CALL_RECORDERS = ['assistant', 'supervisor', 'director', 'branch'] as const;

export function attachmentRoutes(
  router: Router,
  registry: OpenAPIRegistry,
  authenticate: Authenticate,
  { attachments, complaints, contracts }: Services,
): void {
  const NAME_RULE = 'name is shown only to roles that may see the complainant (a file name can carry personal data); it never reaches Temporal or the logs.';
  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/complaints/{id}/attachments',
    summary: 'Record the metadata of a file attached to a complaint (name, media type, size)',
    tags: ['complaints'],
    roles: ATTACH_ROLES,
    rules: [NAME_RULE, ...RECORDING_RULES, 'With an Idempotency-Key a repeat answers the first attachment (200); another body under the same key is 409.'],
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

  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/contracts/{contractNo}/recordings',
    summary: 'Record the metadata of a call recording of one of the contract’s scheduled calls (录音)',
    tags: ['contracts'],
    roles: CALL_RECORDERS,
    rules: [
      NAME_RULE,
      ...RECORDING_RULES,
      'kind must be call_recording with recording.callbackId, a call of this contract (422 rule required_on_contract; 404 CALLBACK_NOT_FOUND).',
    ],
    params: contractParams,
    visible: ({ contractNo }, user) => contracts.findContract(contractNo, user),
    headers: idempotencyHeaders,
    body: contractRecordingBody,
    responses: {
      201: { description: 'Recording recorded', schema: attachmentView },
      200: { description: 'Repeat of an Idempotency-Key: the first recording', schema: attachmentView },
    },
    errors: ['NOT_FOUND', 'CALLBACK_NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED'],
    handler: async ({ params, body, user, headers }) => {
      await contracts.findContract(params.contractNo, user);
      const target = { caseType: 'contract' as const, _id: params.contractNo, kind: 'customer' };
      const { created, view } = await attachments.add(target, body, user, headers['idempotency-key']);
      return { status: created ? 201 : 200, body: view };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/contracts/{contractNo}/recordings',
    summary: 'The call recordings of a contract, oldest first (metadata only)',
    tags: ['contracts'],
    roles: ACTION_ROLES.read,
    rules: [NAME_RULE],
    params: contractParams,
    visible: ({ contractNo }, user) => contracts.findContract(contractNo, user),
    responses: { 200: { description: 'Every recording of the contract’s calls', schema: attachmentList } },
    errors: ['NOT_FOUND'],
    handler: async ({ params, user }) => {
      await contracts.findContract(params.contractNo, user);
      return { status: 200, body: { items: await attachments.list({ _id: params.contractNo, kind: 'customer' }, user.roles) } };
    },
  });
}
