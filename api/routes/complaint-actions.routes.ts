// The staff actions on a complaint as routes: each POST /complaints/{id}/<action> forwards one workflow update.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { UpdateDefinition } from '@temporalio/common';
import type { Router } from 'express';
import type { z, ZodType } from 'zod';
import { ACTION_ROLES, type ActionInput, type ComplaintAction } from '../../domain/authority';
import type { Role } from '../../domain/roles';
import {
  approvalBody,
  approvalRequestBody,
  compensationBody,
  complaintParams,
  complaintSummary,
  directorDecisionBody,
  externalDecisionBody,
  externalFlagBody,
  feedbackBody,
  followUpBody,
  idempotencyHeaders,
  noteBody,
  surveyBody,
  triageBody,
} from '../../schemas/complaint.schema';
import * as msg from '../../workflows/complaint.messages';
import type { StaffUser } from '../auth';
import type { ErrorCode } from '../errors';
import { mountRoute } from '../route';
import type { createComplaintService } from '../services/complaints.service';

type Service = ReturnType<typeof createComplaintService>;
type Authenticate = (header: string | undefined) => Promise<StaffUser>;
type Mount = (router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, service: Service) => void;

const actor = (u: StaffUser): msg.Actor => ({ sub: u.sub, roles: u.roles });
const ACTION_ERRORS: ErrorCode[] = ['NOT_FOUND', 'INVALID_STATE', 'CASE_FINISHED', 'ROLE_NOT_ALLOWED', 'NOT_CASE_OWNER', 'APPROVAL_REQUIRED'];

interface ActionSpec<B extends ZodType, A> {
  action: Exclude<ComplaintAction, 'create' | 'read'>;
  summary: string;
  body: B;
  update: UpdateDefinition<msg.ComplaintState, [A]>;
  toArg: (body: z.infer<B>, user: StaffUser, signAs?: Role) => A;
  errors?: ErrorCode[];
  rules?: string[];
  /** Runs once the case accepted the action (a retried action too): what stays in MongoDB only. */
  after?: (service: Service, id: string, body: z.infer<B>, user: StaffUser) => Promise<void>;
}

/** One staff action as a route: POST /complaints/{id}/<action>, forwarded to the case as a workflow update. */
function action<B extends ZodType, A>(spec: ActionSpec<B, A>): Mount {
  return (router, registry, authenticate, service) =>
    mountRoute(router, registry, authenticate, {
      method: 'post',
      path: `/complaints/{id}/${spec.action}`,
      summary: spec.summary,
      rules: spec.rules,
      tags: ['complaint actions'],
      roles: ACTION_ROLES[spec.action],
      params: complaintParams,
      headers: idempotencyHeaders,
      body: spec.body,
      responses: { 200: { description: 'The case after the action', schema: complaintSummary } },
      errors: [...ACTION_ERRORS, ...(spec.errors ?? [])],
      visible: ({ id }, user) => service.findVisible(id, user),
      handler: async ({ params, body, user, headers }) => {
        const input = body as ActionInput;
        const made = (signAs?: Role) => spec.toArg(body, user, signAs);
        const out = await service.act(params.id, user, spec.update, made, spec.action, input, headers['idempotency-key']);
        await spec.after?.(service, params.id, body, user);
        return { status: 200, body: out };
      },
    });
}

const withActor = <B>(b: B, u: StaffUser) => ({ actor: actor(u), ...b });

const ACTIONS: Mount[] = [
  action({
    action: 'acknowledge',
    summary: 'Record the first callback to the customer',
    body: noteBody,
    update: msg.acknowledgeUpdate,
    toArg: withActor,
    errors: ['ALREADY_DONE'],
  }),
  action({
    action: 'triage',
    summary: 'Set severity, priority and validity; route the case',
    body: triageBody,
    update: msg.triageUpdate,
    toArg: withActor,
    rules: ['valid is required: triage decides whether the complaint is valid.', 'A regulator/media case stays major (422 INVALID_INPUT).'],
    errors: ['INVALID_INPUT'],
  }),
  action({
    action: 'feedback',
    summary: 'Record the branch feedback form (cause, action, who is responsible)',
    body: feedbackBody,
    update: msg.feedbackUpdate,
    toArg: withActor,
    errors: ['ROLE_NOT_ALLOWED'],
    rules: ['repairCompletedAt must not be in the future and at most 1 year ago (422 RULE_VIOLATED, rules not_in_future / within_1_years).'],
  }),
  action({
    action: 'follow-up',
    summary: 'Record a follow-up call; satisfied ends the ladder, unsatisfied moves up it, not reached or in progress neither',
    body: followUpBody,
    update: msg.followUpUpdate,
    toArg: ({ customerSatisfied, outcome, notes }, u) => ({
      actor: actor(u),
      customerSatisfied: outcome ? outcome === 'satisfied' : customerSatisfied!,
      ...(outcome && outcome !== 'satisfied' && outcome !== 'unsatisfied' ? { outcome } : {}),
      notes,
    }),
    rules: [
      'outcome or customerSatisfied is required (422 RULE_VIOLATED, rule outcome_required); both must agree (rule agrees_with_outcome).',
      'not_reached records the try and the next one (retryAt, the policy’s notReachedRetry on a working day); neither it nor in_progress escalates.',
    ],
  }),
  action({
    action: 'pause',
    summary: 'Pause while awaiting the customer (deadlines stop)',
    body: noteBody,
    update: msg.pauseUpdate,
    toArg: withActor,
    rules: ['A regulator/media case’s 24 h decision clock cannot be paused (409 EXTERNAL_CLOCK_NOT_PAUSABLE).'],
    errors: ['EXTERNAL_CLOCK_NOT_PAUSABLE'],
  }),
  action({ action: 'resume', summary: 'Resume with the time that was left', body: noteBody, update: msg.resumeUpdate, toArg: withActor }),
  action({ action: 'escalate', summary: 'Escalate to the next level now', body: noteBody, update: msg.escalateUpdate, toArg: withActor }),
  action({
    action: 'close',
    summary: 'Close a resolved case (legal closes legal cases)',
    body: noteBody,
    update: msg.closeUpdate,
    toArg: withActor,
    errors: ['ROLE_NOT_ALLOWED', 'APPROVAL_PENDING', 'EXTERNAL_DECISION_PENDING', 'FILE_REVIEW_REQUIRED'],
    rules: [
      'A case with an undecided approval request does not close (409 APPROVAL_PENDING).',
      'A serious or major case (policy caseDocuments.reviewBeforeClose) closes only after a file review (409 FILE_REVIEW_REQUIRED).',
    ],
  }),
  action({
    action: 'reopen',
    summary: 'Reopen a closed case within the policy window',
    body: noteBody,
    update: msg.reopenUpdate,
    toArg: withActor,
    errors: ['REOPEN_WINDOW_PASSED', 'CLOSED_BY_LEGAL'],
  }),
  action({
    action: 'survey',
    summary: 'Record the satisfaction survey after closing',
    body: surveyBody,
    update: msg.surveyUpdate,
    toArg: withActor,
    errors: ['ALREADY_DONE'],
  }),
  action({
    action: 'compensation',
    summary: 'Record a repair, exchange, refund, compensation or the fixed allowance',
    body: compensationBody,
    update: msg.compensationUpdate,
    toArg: withActor,
    rules: [
      'defect is required unless type is allowance (422 RULE_VIOLATED, rule required_unless_allowance).',
      'amount is required for a refund or compensation (422 RULE_VIOLATED, rule required_for_refund_or_compensation).',
      'payer (crew or company) is required for a compensation above the fixed allowance (422 RULE_VIOLATED, rule required_above_allowance) and given only for a compensation (rule only_for_compensation); crew needs claim_crew_pays approved (regional president), company claim_company_pays (VP), else 403 APPROVAL_REQUIRED.',
      'While an approval request is undecided only a repair is recorded (409 APPROVAL_PENDING).',
      'The defect label stays in MongoDB; the case works with its id and the label is joined back on read.',
    ],
    errors: ['REPAIR_OR_COMPENSATE', 'INVALID_STATE', 'APPROVAL_PENDING', 'NOT_CONFIRMED_VALID'],
  }),
  action({
    action: 'approval-requests',
    summary: 'Ask the authority matrix for a decision (refund, cancellation, claim, ...); its approvers are notified',
    body: approvalRequestBody,
    update: msg.approvalRequestUpdate,
    toArg: withActor,
    rules: ['A refund, or a compensation above the fixed allowance, is recorded only after its decision is approved (403 APPROVAL_REQUIRED).'],
    errors: ['ALREADY_DONE'],
  }),
  action({
    action: 'approvals',
    summary: 'Approve or refuse a decision of the authority matrix',
    body: approvalBody,
    update: msg.approvalUpdate,
    // The role the approver signs under comes from the authority rule's verdict.
    toArg: (b, u, signAs) => ({ actor: actor(u), role: signAs as Role, ...b }),
    errors: ['ROLE_NOT_ALLOWED'],
    rules: [
      'reason is required to refuse (422 RULE_VIOLATED, rule required_to_refuse); it stays in MongoDB and shows in the case file.',
      'An approved arbitration_lawsuit hands the case to legal.',
    ],
  }),
  action({
    action: 'external-decision',
    summary: 'Regulator/media case: the director or the VP decides (keep it in the center, or hand it to legal now)',
    body: externalDecisionBody,
    update: msg.externalDecisionUpdate,
    toArg: withActor,
    rules: [
      'Each of the policy’s deciders (director, VP) decides once within 24 h; without every decision the case reaches legal by itself.',
      'One legal decision hands the case to legal at once; the center keeps it only when every decider says keep.',
    ],
    errors: ['ALREADY_DONE'],
  }),
  action({
    action: 'external-flag',
    summary: 'A running complaint became a regulator, consumer-association or media case: the 24 h decision clock starts',
    body: externalFlagBody,
    update: msg.externalFlagUpdate,
    toArg: ({ source, notes }, u) => ({ actor: actor(u), source, notes }),
    // The contact's details are personal data: MongoDB only, never the workflow.
    after: (service, id, body, user) => service.keepExternalContact(id, user, body.contact),
    rules: ['Only an open or paused case that is not yet external (409 ALREADY_DONE); a paused one resumes, since this clock never pauses.'],
    errors: ['ALREADY_DONE', 'INVALID_INPUT'],
  }),
  action({
    action: 'director-decision',
    summary: 'Staff or crew complaint: the director re-decides (rehandle) or ends the ladder (upheld, dismissed)',
    body: directorDecisionBody,
    update: msg.directorDecisionUpdate,
    toArg: withActor,
    rules: ['Only at step director_decision; rehandle only before the second handling (409 INVALID_STATE).'],
  }),
];

/** Mounts every staff action, in the order the OpenAPI document lists them. */
export function complaintActionRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, service: Service): void {
  for (const mount of ACTIONS) mount(router, registry, authenticate, service);
}
