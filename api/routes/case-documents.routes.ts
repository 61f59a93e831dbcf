// HTTP routes of the case file's documents: file review, letters legal approves, the four-party site inspection, apologies.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { ZodType } from 'zod';
import { APOLOGY_ROLES, INSPECTION_ROLES, LETTER_APPROVERS, LETTER_ROLES, REVIEW_ROLES } from '../../domain/case-documents.rules';
import type { Role } from '../../domain/roles';
import {
  apologyBody,
  apologyView,
  conclusionBody,
  documentIdSchema,
  fileReviewBody,
  fileReviewView,
  inspectionBody,
  inspectionView,
  letterBody,
  letterDecisionBody,
  letterSentBody,
  letterView,
  signatureBody,
} from '../../schemas/case-documents.schema';
import { complaintParams, idempotencyHeaders } from '../../schemas/complaint.schema';
import type { StaffUser } from '../auth';
import type { ErrorCode } from '../errors';
import { mountRoute, type HandlerResult } from '../route';
import type { CaseDocumentService } from '../services/case-documents.service';
import type { createComplaintService } from '../services/complaints.service';

type Authenticate = (header: string | undefined) => Promise<StaffUser>;
interface Services {
  documents: CaseDocumentService;
  complaints: ReturnType<typeof createComplaintService>;
}
type CaseDoc = Awaited<ReturnType<Services['complaints']['findVisible']>>;

const letterParams = complaintParams.extend({ letterId: documentIdSchema });
const inspectionParams = complaintParams.extend({ inspectionId: documentIdSchema });

interface DocRoute<B extends ZodType, P extends ZodType> {
  path: string;
  summary: string;
  roles: readonly Role[];
  params: P;
  body: B;
  view: ZodType;
  created: boolean;
  rules: string[];
  errors: ErrorCode[];
  run: (doc: CaseDoc, params: { id: string } & Record<string, string>, body: B['_output'], user: StaffUser, key?: string) => Promise<HandlerResult>;
}

export function caseDocumentRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, { documents, complaints }: Services): void {
  const mount = <B extends ZodType, P extends ZodType>(r: DocRoute<B, P>) =>
    mountRoute(router, registry, authenticate, {
      method: 'post',
      path: `/complaints/{id}/${r.path}`,
      summary: r.summary,
      tags: ['case documents'],
      roles: r.roles,
      rules: r.rules,
      params: r.params,
      visible: (p, user) => complaints.findVisible((p as { id: string }).id, user),
      headers: idempotencyHeaders,
      body: r.body,
      responses: r.created
        ? { 201: { description: 'Recorded', schema: r.view }, 200: { description: 'Repeat of an Idempotency-Key: the first one', schema: r.view } }
        : { 200: { description: 'The document after this step', schema: r.view } },
      errors: ['NOT_FOUND', 'ROLE_NOT_ALLOWED', ...r.errors],
      handler: async ({ params, body, user, headers }) => {
        const p = params as { id: string } & Record<string, string>;
        return r.run(await complaints.findVisible(p.id, user), p, body, user, headers['idempotency-key']);
      },
    });
  const made = ({ created, view }: { created: boolean; view: unknown }): HandlerResult => ({ status: created ? 201 : 200, body: view });
  const ONCE = 'A step happens once: the same body again answers the document as it stands; another body is 409 ALREADY_DONE.';

  mount({
    path: 'file-reviews',
    summary: 'Record a review of the case file (看卷): stage, contract value, who the customer is, any authority involved',
    roles: REVIEW_ROLES,
    params: complaintParams,
    body: fileReviewBody,
    view: fileReviewView,
    created: true,
    rules: [
      'authority is required when complainedToAuthority is true (422 RULE_VIOLATED, rule required_with_authority), refused otherwise (rule only_with_authority).',
      'A serious or major complaint (policy caseDocuments.reviewBeforeClose) closes only after a review (409 FILE_REVIEW_REQUIRED on close).',
    ],
    errors: [],
    run: async (doc, _p, body, user, key) => made(await documents.review(doc, body, user, key)),
  });
  mount({
    path: 'letters',
    summary: 'Draft a letter to the customer (关于……的函); it waits for legal’s approval before it is sent',
    roles: LETTER_ROLES,
    params: complaintParams,
    body: letterBody,
    view: letterView,
    created: true,
    rules: ['The letter’s text stays in MongoDB and shows in the case file; a closed case takes no letter (409 CASE_FINISHED).'],
    errors: ['CASE_FINISHED'],
    run: async (doc, _p, body, user, key) => made(await documents.draftLetter(doc, body, user, key)),
  });
  mount({
    path: 'letters/{letterId}/decision',
    summary: 'Legal approves or rejects a letter before it is sent (发文前须报集团法务中心批准)',
    roles: LETTER_APPROVERS,
    params: letterParams,
    body: letterDecisionBody,
    view: letterView,
    created: false,
    rules: ['reason is required to reject (422 RULE_VIOLATED, rule required_to_reject); a rejected letter is redrafted as a new one.', ONCE],
    errors: ['ALREADY_DONE'],
    run: async (doc, p, body, user) => ({ status: 200, body: await documents.decideLetter(doc, p.letterId!, body, user) }),
  });
  mount({
    path: 'letters/{letterId}/sent',
    summary: 'Mark an approved letter sent and signed for (须签收)',
    roles: LETTER_ROLES,
    params: letterParams,
    body: letterSentBody,
    view: letterView,
    created: false,
    rules: ['Only a letter legal approved (409 LETTER_NOT_APPROVED, also for a rejected one).', ONCE],
    errors: ['LETTER_NOT_APPROVED', 'ALREADY_DONE'],
    run: async (doc, p, body, user) => ({ status: 200, body: await documents.markSent(doc, p.letterId!, body, user) }),
  });
  mount({
    path: 'inspections',
    summary: 'Record a joint site inspection (现场会勘): date and findings; the four parties sign it next',
    roles: INSPECTION_ROLES,
    params: complaintParams,
    body: inspectionBody,
    view: inspectionView,
    created: true,
    rules: ['A closed case takes no inspection (409 CASE_FINISHED).'],
    errors: ['CASE_FINISHED'],
    run: async (doc, _p, body, user, key) => made(await documents.openInspection(doc, body, user, key)),
  });
  mount({
    path: 'inspections/{inspectionId}/signatures',
    summary: 'Record one party’s signature: customer service, engineering, design or the customer',
    roles: INSPECTION_ROLES,
    params: inspectionParams,
    body: signatureBody,
    view: inspectionView,
    created: false,
    rules: [
      'customer_service by branch, supervisor or director; engineering by branch or engineering; design by branch; customer (taken on the form) by branch, engineering, supervisor or director (403 ROLE_NOT_ALLOWED).',
      ONCE,
    ],
    errors: ['ALREADY_DONE'],
    run: async (doc, p, body, user) => ({ status: 200, body: await documents.sign(doc, p.inspectionId!, body, user) }),
  });
  mount({
    path: 'inspections/{inspectionId}/conclusion',
    summary: 'Conclude a signed inspection: who is responsible',
    roles: INSPECTION_ROLES,
    params: inspectionParams,
    body: conclusionBody,
    view: inspectionView,
    created: false,
    rules: ['Only once all four parties signed (409 INSPECTION_NOT_SIGNED, details name each missing party).', ONCE],
    errors: ['INSPECTION_NOT_SIGNED', 'ALREADY_DONE'],
    run: async (doc, p, body, user) => ({ status: 200, body: await documents.conclude(doc, p.inspectionId!, body, user) }),
  });
  mount({
    path: 'apologies',
    summary: 'Record the apology and small gift that remedy a service-quality complaint (赔礼道歉, 赠送小礼品)',
    roles: APOLOGY_ROLES,
    params: complaintParams,
    body: apologyBody,
    view: apologyView,
    created: true,
    rules: [
      'The caller approves it: a gift up to caseDocuments.serviceApology.giftAllowance by its approvers, above it only by aboveAllowance (403 APPROVAL_REQUIRED).',
      'Only a customer’s complaint (409 NOT_SERVICE_COMPLAINT); a closed case takes none (409 CASE_FINISHED).',
    ],
    errors: ['APPROVAL_REQUIRED', 'NOT_SERVICE_COMPLAINT', 'CASE_FINISHED'],
    run: async (doc, _p, body, user, key) => made(await documents.apologize(doc, body, user, key)),
  });
}
