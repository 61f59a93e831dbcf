// Issue 13, the source documents' rules: file review before closing, letters legal approves, four-party inspection, apology.
import { describe, expect, it } from 'vitest';
import { useCaseWorld } from '../support/harness';
import { complaintBody, useApi } from '../support/api-world';

const w = useCaseWorld('dev');
const served = useApi(w);
const t = served.t;
const complaint = (patch: Record<string, unknown> = {}) => complaintBody({ category: 'service', description: 'The foreman was rude', ...patch });
const recent = (minutesAgo = 60) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

const open = (body = complaint()) => served.open(body);
const post = (id: string, path: string, who: string, body: unknown = {}, key?: string) =>
  served.api.call('POST', `/v1/complaints/${id}/${path}`, { token: t[who], body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
const approvals = async (who: string) =>
  (await served.api.call('GET', '/v1/worklist?kind=approval', { token: t[who] })).body.items as { caseId: string; action: string }[];
const docsOf = (id: string) => w.db.models.CaseDocument.countDocuments({ caseId: id });
const file = async (id: string, who = 'supervisor') => (await served.api.call('GET', `/v1/complaints/${id}`, { token: t[who] })).body;
const refused = async (res: { status: number; body: any }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
};

const REVIEW = {
  pastMidStage: true,
  contractValue: 186000,
  customerIdentity: 'private',
  complainedToAuthority: true,
  authority: 'consumer_association',
  finding: 'gaps_found',
};

describe('case-file review ([003] ch.5 §4 看卷)', () => {
  it('a serious case closes only after its file was reviewed; the review shows who, when and the findings', async () => {
    const id = await open(complaint({ severity: 'serious' }));
    await post(id, 'acknowledge', 'supervisor');
    expect((await post(id, 'feedback', 'branch', { cause: 'Rude foreman', action: 'Foreman apologized', responsible: 'Foreman' })).status).toBe(200);
    expect((await post(id, 'follow-up', 'supervisor', { outcome: 'satisfied' })).status).toBe(200);
    expect((await file(id)).documents.reviewRequiredBeforeClose).toBe(true);
    await refused(await post(id, 'close', 'supervisor'), 409, 'FILE_REVIEW_REQUIRED');
    expect((await file(id)).status).not.toBe('closed');

    const review = await post(id, 'file-reviews', 'supervisor', REVIEW, 'review-0001');
    expect(review.status, JSON.stringify(review.body)).toBe(201);
    expect(review.body).toMatchObject({ by: 'supervisor-1', role: 'supervisor', findings: REVIEW });
    expect((await post(id, 'file-reviews', 'supervisor', REVIEW, 'review-0001')).status).toBe(200);
    await refused(await post(id, 'file-reviews', 'supervisor', { ...REVIEW, finding: 'in_order' }, 'review-0001'), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(await docsOf(id)).toBe(1);

    const closed = await post(id, 'close', 'supervisor');
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const after = await file(id);
    expect(after.documents).toMatchObject({ reviewRequiredBeforeClose: false, fileReviews: [{ by: 'supervisor-1', findings: REVIEW }] });
  });

  it('refuses a review that breaks its rules or comes from a role that does not review (nothing recorded)', async () => {
    const id = await open();
    await refused(await post(id, 'file-reviews', 'supervisor', { ...REVIEW, authority: undefined }), 422, 'RULE_VIOLATED');
    await refused(await post(id, 'file-reviews', 'supervisor', { ...REVIEW, complainedToAuthority: false }), 422, 'RULE_VIOLATED');
    await refused(await post(id, 'file-reviews', 'assistant', REVIEW), 403, 'FORBIDDEN');
    await refused(await post(id, 'file-reviews', 'southBranch', REVIEW), 404, 'NOT_FOUND');
    expect(await docsOf(id)).toBe(0);
    expect((await file(id)).documents.reviewRequiredBeforeClose).toBe(false);
  });
});

describe('letters: legal approves before sending ([003] ch.5 §4 发文)', () => {
  it('drafted by the handler, rejected with a reason, redrafted, approved by legal, then sent; the file shows each step', async () => {
    const id = await open();
    const first = await post(id, 'letters', 'assistant', { subject: 'Regarding the repair', text: 'We admit all faults.' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: 'awaiting_legal', by: 'a-north' });
    await refused(await post(id, `letters/${first.body.id}/sent`, 'assistant', { sentAt: recent(), receivedBy: 'customer' }), 409, 'LETTER_NOT_APPROVED');
    // The letter waits on legal's worklist, and only there, until legal decides.
    const decide = `POST /v1/complaints/${id}/letters/${first.body.id}/decision`;
    expect((await approvals('legal')).filter((i) => i.caseId === id).map((i) => i.action)).toEqual([decide]);
    expect((await approvals('assistant')).filter((i) => i.caseId === id)).toEqual([]);
    await refused(await post(id, `letters/${first.body.id}/decision`, 'legal', { decision: 'reject' }), 422, 'RULE_VIOLATED');
    await refused(await post(id, `letters/${first.body.id}/decision`, 'director', { decision: 'approve' }), 403, 'FORBIDDEN');
    const rejected = await post(id, `letters/${first.body.id}/decision`, 'legal', { decision: 'reject', reason: 'Do not admit liability' });
    expect(rejected.body).toMatchObject({ status: 'rejected', decision: { by: 'legal-1', decision: 'reject', reason: 'Do not admit liability' } });
    await refused(await post(id, `letters/${first.body.id}/decision`, 'legal', { decision: 'approve' }), 409, 'ALREADY_DONE');
    expect((await approvals('legal')).filter((i) => i.caseId === id)).toEqual([]);
    await refused(await post(id, `letters/${first.body.id}/sent`, 'assistant', { sentAt: recent(), receivedBy: 'customer' }), 409, 'LETTER_NOT_APPROVED');

    const second = await post(id, 'letters', 'assistant', { subject: 'Regarding the repair', text: 'We will repair the tiles.' });
    expect((await post(id, `letters/${second.body.id}/decision`, 'legal', { decision: 'approve' })).body.status).toBe('approved');
    const sent = await post(id, `letters/${second.body.id}/sent`, 'assistant', { sentAt: recent(), receivedBy: 'customer' });
    expect(sent.body).toMatchObject({ status: 'sent', sent: { by: 'a-north', receivedBy: 'customer' } });
    expect((await post(id, `letters/${second.body.id}/sent`, 'assistant', { sentAt: sent.body.sent.sentAt, receivedBy: 'customer' })).status).toBe(200);
    await refused(await post(id, `letters/${second.body.id}/sent`, 'assistant', { sentAt: recent(5), receivedBy: 'customer_agent' }), 409, 'ALREADY_DONE');
    await refused(await post(id, 'letters/C-unknown-letter/decision', 'legal', { decision: 'approve' }), 404, 'NOT_FOUND');

    const letters = (await file(id)).documents.letters;
    expect(letters.map((l: any) => l.status)).toEqual(['rejected', 'sent']);
    expect(letters[1]).toMatchObject({ text: 'We will repair the tiles.', decision: { decision: 'approve', by: 'legal-1' } });
    // The VP reads the case but does not handle the customer: the subject, not the letter's text (it names them).
    const vpLetter = (await file(id, 'vp')).documents.letters[1];
    expect([vpLetter.subject, vpLetter.text]).toEqual(['Regarding the repair', undefined]);
    expect(await docsOf(id)).toBe(5);
  });
});

describe('joint site inspection signed by four parties ([003] ch.7 §2 会勘)', () => {
  it('refuses a conclusion until customer service, engineering, design and the customer signed; each signature names role and time', async () => {
    const id = await open(complaint({ category: 'quality', description: 'Leaking pipe' }));
    const made = await post(id, 'inspections', 'branch', { inspectedAt: recent(120), findings: 'construction_defect' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const ins = made.body.id as string;
    expect(made.body.missing).toEqual(['customer_service', 'engineering', 'design', 'customer']);
    await refused(await post(id, `inspections/${ins}/signatures`, 'engineering', { party: 'design', signedAt: recent() }), 403, 'ROLE_NOT_ALLOWED');
    await refused(await post(id, `inspections/${ins}/signatures`, 'branch', { party: 'landlord', signedAt: recent() }), 400, 'VALIDATION_FAILED');
    await refused(
      await post(id, `inspections/${ins}/signatures`, 'branch', { party: 'customer', signedAt: new Date(Date.now() + 86_400_000).toISOString() }),
      422,
      'RULE_VIOLATED',
    );
    const signs = [
      ['supervisor', 'customer_service'],
      ['engineering', 'engineering'],
      ['branch', 'design'],
    ] as const;
    for (const [who, party] of signs) expect((await post(id, `inspections/${ins}/signatures`, who, { party, signedAt: recent(100) })).status).toBe(200);
    const early = await post(id, `inspections/${ins}/conclusion`, 'branch', { responsibility: 'crew' });
    await refused(early, 409, 'INSPECTION_NOT_SIGNED');
    expect(early.body.error.details).toEqual([{ field: 'party', rule: 'signature_missing', message: 'customer has not signed' }]);
    await refused(await post(id, `inspections/${ins}/signatures`, 'branch', { party: 'design', signedAt: recent(10) }), 409, 'ALREADY_DONE');
    const last = await post(id, `inspections/${ins}/signatures`, 'branch', { party: 'customer', signedAt: recent(90) });
    expect(last.body.missing).toEqual([]);
    const done = await post(id, `inspections/${ins}/conclusion`, 'branch', { responsibility: 'crew' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.conclusion).toMatchObject({ by: 'b-north', role: 'branch', responsibility: 'crew' });
    await refused(await post(id, `inspections/${ins}/signatures`, 'supervisor', { party: 'customer', signedAt: recent(80) }), 409, 'ALREADY_DONE');
    const shown = (await file(id)).documents.inspections[0];
    expect(shown.signatures.map((s: any) => [s.party, s.role, s.by])).toEqual([
      ['customer_service', 'supervisor', 'supervisor-1'],
      ['engineering', 'engineering', 'engineering-1'],
      ['design', 'branch', 'b-north'],
      ['customer', 'branch', 'b-north'],
    ]);
    expect(await docsOf(id)).toBe(6);
  });
});

describe('apology and small gift for a service-quality complaint ([004] §14.2)', () => {
  it('records who apologized and who approved the gift; a gift above the allowance needs the director', async () => {
    const id = await open();
    const small = { apologizedBy: 'foreman', apologizedAt: recent(), gift: { item: 'Tea set', value: 80 } };
    const ok = await post(id, 'apologies', 'supervisor', small, 'apology-0001');
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ by: 'supervisor-1', approvedAs: 'supervisor', apologizedBy: 'foreman', gift: { value: 80 } });
    const big = { ...small, gift: { item: 'Hamper', value: 300 } };
    await refused(await post(id, 'apologies', 'supervisor', big), 403, 'APPROVAL_REQUIRED');
    await refused(await post(id, 'apologies', 'branch', small), 403, 'FORBIDDEN');
    expect(await docsOf(id)).toBe(1);
    expect((await post(id, 'apologies', 'director', big)).body).toMatchObject({ approvedAs: 'director', gift: { value: 300 } });
    expect((await file(id)).documents.apologies.map((a: any) => [a.approvedAs, a.gift.value])).toEqual([
      ['supervisor', 80],
      ['director', 300],
    ]);
  });

  it('refuses an apology on a staff complaint (not a customer’s service complaint), nothing recorded', async () => {
    const id = await open(
      complaint({ kind: 'staff', accused: { name: 'Li Si', role: 'designer' }, occurredAt: recent(600), location: 'North office', category: 'conduct' }),
    );
    await refused(await post(id, 'apologies', 'director', { apologizedBy: 'designer', apologizedAt: recent() }), 409, 'NOT_SERVICE_COMPLAINT');
    expect(await docsOf(id)).toBe(0);
  });
});

describe('call recordings as attachments ([003] ch.5 §4 录音)', () => {
  const recording = (patch: Record<string, unknown> = {}) => ({
    name: 'call-0930.mp3',
    type: 'audio/mpeg',
    size: 1048576,
    kind: 'call_recording',
    recording: { callAt: recent(30), durationSeconds: 184, direction: 'inbound', ...patch },
  });

  it('a complaint keeps a recording with call time, duration and who called; a recording breaking its rules is refused', async () => {
    const id = await open();
    const made = await post(id, 'attachments', 'assistant', recording(), 'rec-0001');
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ kind: 'call_recording', recording: { durationSeconds: 184, direction: 'inbound', staff: 'a-north' } });
    await refused(await post(id, 'attachments', 'assistant', { ...recording(), type: 'image/jpeg' }), 422, 'RULE_VIOLATED');
    await refused(await post(id, 'attachments', 'assistant', { ...recording(), recording: undefined }), 422, 'RULE_VIOLATED');
    await refused(
      await post(id, 'attachments', 'assistant', { name: 'a.jpg', type: 'image/jpeg', size: 10, recording: recording().recording }),
      422,
      'RULE_VIOLATED',
    );
    await refused(await post(id, 'attachments', 'assistant', recording({ callAt: new Date(Date.now() + 3_600_000).toISOString() })), 422, 'RULE_VIOLATED');
    const files = (await file(id)).attachments;
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ kind: 'call_recording', recording: { direction: 'inbound' } });
  });

  it('a contract keeps recordings of its own calls only (404 CALLBACK_NOT_FOUND otherwise, nothing recorded)', async () => {
    const now = new Date();
    const contractNo = 'HZ-REC-0001';
    await w.db.models.Contract.create({
      _id: contractNo,
      branch: 'north',
      customer: { name: 'Wang Fang', phone: '13800002222' },
      contractSignedAt: now,
      plannedCompletionAt: now,
      warrantyMonths: 12,
      requestHash: 'x',
      workflowId: `project-${contractNo}`,
      createdAt: now,
      stateSeq: 0,
    });
    const callbackId = `${contractNo}.after_signing.1`;
    await w.db.models.Callback.create({ _id: callbackId, contractNo, branch: 'north', kind: 'after_signing', dueAt: now, status: 'due', createdAt: now });
    const call = (who: string, body: unknown) => served.api.call('POST', `/v1/contracts/${contractNo}/recordings`, { token: t[who], body });
    const ok = await call('assistant', recording({ direction: 'outbound', callbackId }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'call_recording', recording: { callbackId, direction: 'outbound', staff: 'a-north' } });
    await refused(await call('assistant', recording({ callbackId: 'HZ-OTHER-01.after_signing.1' })), 404, 'CALLBACK_NOT_FOUND');
    await refused(await call('assistant', recording()), 422, 'RULE_VIOLATED');
    await refused(await call('southBranch', recording({ callbackId })), 404, 'NOT_FOUND');
    const list = await served.api.call('GET', `/v1/contracts/${contractNo}/recordings`, { token: t.supervisor });
    expect(list.body.items.map((r: any) => r.recording.callbackId)).toEqual([callbackId]);
  });
});
