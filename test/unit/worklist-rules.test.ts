import { describe, expect, it } from 'vitest';
import { phoneVariants } from '../../domain/phone';
import { caseScope } from '../../domain/scope';
import { answerWork, callbackWork, complaintWork, endOfLocalDay, latenessMs, latestAssignment, taskWork } from '../../domain/worklist.rules';

const step = (patch: Record<string, unknown>) =>
  ({
    complaintId: 'C-0123456789abcdef',
    status: 'open',
    step: 'first_callback',
    level: 'assistant',
    routedTo: 'branch',
    deadline: { startedAt: '2026-11-20T08:00:00Z', dueAt: '2026-11-20T08:03:00Z' },
    ...patch,
  }) as Parameters<typeof complaintWork>[0];

describe('worklist items of a complaint', () => {
  it('asks the assistant (and the owning level) for the first callback, due at the step deadline, settled by acknowledge', () => {
    expect(complaintWork(step({ level: 'supervisor' }))).toEqual({
      open: true,
      kind: 'first_callback',
      roles: ['assistant', 'supervisor'],
      dueAt: Date.parse('2026-11-20T08:03:00Z'),
      visibleFrom: Date.parse('2026-11-20T08:00:00Z'),
      action: 'POST /v1/complaints/C-0123456789abcdef/acknowledge',
    });
  });

  it('gives feedback to the department the case is routed to and a follow-up to the round’s level', () => {
    expect(complaintWork(step({ step: 'branch_feedback', routedTo: 'hr' }))).toMatchObject({ kind: 'branch_feedback', roles: ['hr'] });
    expect(complaintWork(step({ step: 'follow_up', level: 'director' }))).toMatchObject({
      kind: 'follow_up',
      roles: ['director'],
      action: expect.stringMatching(/follow-up$/),
    });
    expect(complaintWork(step({ step: 'triage', level: 'supervisor' }))).toMatchObject({ kind: 'triage', roles: ['supervisor'] });
  });

  it('asks the owner to close a resolved case; paused, legal, closed cases and the legal handoff step wait on nobody', () => {
    expect(complaintWork(step({ status: 'resolved', step: 'resolved', deadline: null, resolvedAt: '2026-11-21T00:00:00Z' }))).toMatchObject({
      kind: 'close_case',
    });
    for (const patch of [
      { status: 'paused' },
      { status: 'legal', step: 'legal' },
      { status: 'closed', step: 'closed', deadline: null },
      { step: 'legal_handoff' },
    ]) {
      expect(complaintWork(step(patch))).toEqual({ open: false });
    }
  });
});

describe('worklist items of calls and tasks', () => {
  it('keeps a due call with the assistant, adds the supervisor once overdue or unreachable, settles done and cancelled calls', () => {
    expect(callbackWork({ id: 'K.after_signing.1', status: 'due', dueAt: 5 })).toMatchObject({
      kind: 'callback',
      roles: ['assistant'],
      action: 'POST /v1/callbacks/K.after_signing.1/outcome',
    });
    expect(callbackWork({ id: 'x', status: 'overdue', dueAt: 5 })).toMatchObject({ roles: ['assistant', 'supervisor'] });
    expect(callbackWork({ id: 'x', status: 'escalated', dueAt: 5 })).toMatchObject({ roles: ['assistant', 'supervisor'] });
    expect(callbackWork({ id: 'x', status: 'done', dueAt: 5 })).toEqual({ open: false });
    expect(callbackWork({ id: 'x', status: 'cancelled', dueAt: 5 })).toEqual({ open: false });
  });

  it('settles a survey task by the survey action and a post-repair call by marking the task done', () => {
    const t = { id: 'C-1:survey:0', complaintId: 'C-1', assigneeRole: 'assistant' as const, dueAt: 9, status: 'due' };
    expect(taskWork({ ...t, type: 'satisfaction_survey' })).toMatchObject({ kind: 'satisfaction_survey', action: 'POST /v1/complaints/C-1/survey' });
    expect(taskWork({ ...t, id: 'C-1:post_repair', type: 'post_repair_callback' })).toMatchObject({
      kind: 'post_repair_callback',
      action: 'POST /v1/tasks/C-1:post_repair/done',
    });
    expect(taskWork({ ...t, type: 'satisfaction_survey', status: 'done' })).toEqual({ open: false });
  });

  it('measures lateness from the due time, never negative', () => {
    expect(latenessMs(1000, 4000)).toBe(3000);
    expect(latenessMs(4000, 1000)).toBe(0);
  });

  it('lets the latest assignment of a case or a call decide', () => {
    expect(latestAssignment([undefined, { assignee: 'a', at: 1 }, { assignee: 'b', at: 2 }, null])).toEqual({ assignee: 'b', at: 2 });
    expect(latestAssignment([])).toBeUndefined();
  });
});

describe('case scope (temporary, replaced by the branch-scoping work)', () => {
  it('limits a user with a branch claim to that branch and leaves a user without one all branches', () => {
    expect(caseScope({ roles: ['branch'], branch: 'north' })).toEqual({ branches: ['north'] });
    expect(caseScope({ roles: ['assistant'], branch: 'south' })).toEqual({ branches: ['south'] });
    expect(caseScope({ roles: ['director'] })).toEqual({ all: true });
  });
});

describe('today on the wall clock', () => {
  it('ends at the next local midnight of the policy’s zone', () => {
    expect(new Date(endOfLocalDay(Date.parse('2026-11-20T15:59:00Z'), 'Asia/Shanghai')).toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(new Date(endOfLocalDay(Date.parse('2026-11-20T16:00:00Z'), 'Asia/Shanghai')).toISOString()).toBe('2026-11-21T16:00:00.000Z');
  });
});

describe('phone numbers as typed', () => {
  it('match on their digits, with or without the country code of a mobile number', () => {
    expect(phoneVariants('138-0000 1111')).toEqual(['13800001111', '8613800001111']);
    expect(phoneVariants('+86 138 0000 1111')).toEqual(['8613800001111', '13800001111']);
    expect(phoneVariants('0086 13800001111')).toEqual(['8613800001111', '13800001111']);
    expect(phoneVariants('0571-8888 1234')).toEqual(['057188881234']);
  });
});

describe('the answer owed to a customer', () => {
  const answer = { startedAt: '2026-11-20T08:00:00Z', dueAt: '2026-11-21T08:00:00Z' };
  it('is the assistant’s and the owner’s item until answered, while the case is in the center’s hands', () => {
    expect(answerWork('C-1', { status: 'open', level: 'supervisor', answer })).toMatchObject({
      open: true,
      kind: 'customer_answer',
      roles: ['assistant', 'supervisor'],
      dueAt: Date.parse(answer.dueAt),
      visibleFrom: Date.parse(answer.startedAt),
      action: 'POST /v1/complaints/C-1/follow-up',
    });
    expect(answerWork('C-1', { status: 'paused', level: 'assistant', answer }).open).toBe(true);
    expect(answerWork('C-1', { status: 'open', level: 'assistant', answer: { ...answer, answeredAt: '2026-11-20T09:00:00Z' } }).open).toBe(false);
    for (const status of ['legal', 'resolved', 'closed']) expect(answerWork('C-1', { status, level: 'assistant', answer }).open).toBe(false);
    expect(answerWork('C-1', { status: 'open', level: 'assistant' }).open).toBe(false);
  });
});
