// The ladder's ends through the API: the codes each refusal answers with, and the journalist's details kept out of Temporal.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { Role } from '../../domain/roles';
import { complaintWorkflowId } from '../../workflows/complaint.messages';
import { eventually } from '../support/eventually';
import { useCaseWorld } from '../support/harness';
import { serve, testAppDeps, token } from '../support/http';

const w = useCaseWorld('dev');
let api: Awaited<ReturnType<typeof serve>>;
const t: Partial<Record<Role, string>> = {};
let phoneSeq = 0;
const JOURNALIST = { name: 'Reporter Zhou Mark', organization: 'Evening News Mark', phone: '13911112222' };

const complaint = (patch: Record<string, unknown> = {}) => ({
  kind: 'customer',
  source: 'phone',
  branch: 'north',
  complainant: { name: 'Test Customer', phone: `1370000${String(1000 + phoneSeq++)}` },
  category: 'quality',
  description: 'Cracked tiles',
  ...patch,
});

beforeAll(async () => {
  const { app } = createApp(testAppDeps(w.env, w.db.models, w.taskQueue));
  api = await serve(app);
  for (const role of ['assistant', 'supervisor', 'director', 'legal', 'vp', 'branch', 'engineering'] as const) {
    t[role] = await token([role], role === 'branch' || role === 'assistant' ? { branch: 'north' } : {});
  }
});
afterAll(async () => {
  await api?.close();
});

const open = (body: Record<string, unknown>) => api.call('POST', '/v1/complaints', { token: t.assistant, body });
const act = (id: string, action: string, role: Role, body: Record<string, unknown> = {}) =>
  api.call('POST', `/v1/complaints/${id}/${action}`, { token: t[role], body });
const read = (id: string, role: Role) => api.call('GET', `/v1/complaints/${id}`, { token: t[role] });

function historyText(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) historyText(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) historyText(v, out);
  return out;
}
const leaks = async (id: string) =>
  historyText(await w.env.client.workflow.getHandle(complaintWorkflowId(id)).fetchHistory()).filter((s) => s.includes('Mark'));

describe('regulator and media cases through the API', () => {
  it('keeps the journalist in MongoDB, shows them to handlers only, and refuses a pause with its code', async () => {
    const wrong = await open(complaint({ externalContact: JOURNALIST }));
    expect([wrong.status, wrong.body.error.code, wrong.body.error.details[0].field]).toEqual([422, 'RULE_VIOLATED', 'externalContact']);
    const opened = await open(complaint({ source: 'media', externalContact: JOURNALIST }));
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.id as string;
    expect((await read(id, 'director')).body.externalContact).toEqual(JOURNALIST);
    expect((await read(id, 'assistant')).body.externalContact).toBeUndefined();
    expect((await read(id, 'branch')).body.externalContact).toBeUndefined();
    const pause = await act(id, 'pause', 'assistant');
    expect([pause.status, pause.body.error.code]).toEqual([409, 'EXTERNAL_CLOCK_NOT_PAUSABLE']);
    const byAssistant = await act(id, 'external-decision', 'assistant', { decision: 'keep' });
    expect([byAssistant.status, byAssistant.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await act(id, 'external-decision', 'vp', { decision: 'keep' })).status).toBe(200);
    const twice = await act(id, 'external-decision', 'vp', { decision: 'legal' });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'ALREADY_DONE']);
    const file = await read(id, 'director');
    expect(file.body.history.find((e: { type: string }) => e.type === 'external_decision')).toMatchObject({ by: expect.any(String), data: { role: 'vp' } });
    expect(await leaks(id)).toEqual([]);
  });

  it('re-flags a running complaint (supervisor or director, with the contact) and opens a lawsuit in legal hands', async () => {
    const id = (await open(complaint())).body.id as string;
    const byAssistant = await act(id, 'external-flag', 'assistant', { source: 'regulator', contact: JOURNALIST });
    expect([byAssistant.status, byAssistant.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const noContact = await act(id, 'external-flag', 'supervisor', { source: 'regulator' });
    expect(noContact.status).toBe(400);
    expect((await read(id, 'legal')).body.externalContact).toBeUndefined();
    const flagged = await act(id, 'external-flag', 'supervisor', { source: 'regulator', contact: JOURNALIST, notes: 'called by the bureau' });
    expect(flagged.status, JSON.stringify(flagged.body)).toBe(200);
    expect(flagged.body).toMatchObject({ level: 'director', severity: 'major' });
    expect((await read(id, 'legal')).body.externalContact).toEqual(JOURNALIST);
    const again = await act(id, 'external-flag', 'director', { source: 'media', contact: JOURNALIST });
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_DONE']);
    expect(await leaks(id)).toEqual([]);

    const lawsuit = await open(complaint({ source: 'lawsuit' }));
    expect(lawsuit.status).toBe(201);
    const notCallback = await open(complaint({ finding: 'private_job' }));
    expect([notCallback.status, notCallback.body.error.details[0].field]).toEqual([422, 'finding']);
    const privateJob = await open(complaint({ source: 'callback', finding: 'private_job' }));
    expect(privateJob.status).toBe(201);
    await eventually(
      () => read(privateJob.body.id, 'director'),
      (r) => r.body.status === 'legal',
    );
    const inLegal = await eventually(
      () => read(lawsuit.body.id, 'legal'),
      (r) => r.body.status === 'legal',
    );
    expect(inLegal.body).toMatchObject({ status: 'legal', level: 'legal' });
  });
});

describe('validity and crew feedback through the API', () => {
  it('asks triage for validity, refuses the allowance on an unconfirmed complaint, and keeps the branch off engineering’s form', async () => {
    const id = (await open(complaint({ severity: 'general', priority: 'medium' }))).body.id as string;
    const noValid = await act(id, 'triage', 'supervisor', { severity: 'general', priority: 'medium' });
    expect([noValid.status, noValid.body.error.details[0].field]).toEqual([400, 'valid']);
    const allowance = await act(id, 'compensation', 'assistant', { type: 'allowance' });
    expect([allowance.status, allowance.body.error.code]).toEqual([409, 'NOT_CONFIRMED_VALID']);
    expect((await read(id, 'assistant')).body.remedies).toEqual([]);

    const crew = await open(
      complaint({
        kind: 'crew',
        accused: { name: 'Foreman Li', role: 'foreman' },
        occurredAt: '2026-11-01T10:00:00+08:00',
        location: 'site',
        severity: 'general',
        priority: 'medium',
      }),
    );
    const crewId = crew.body.id as string;
    const form = { cause: 'c', action: 'a', responsible: 'r' };
    const byBranch = await act(crewId, 'feedback', 'branch', form);
    expect([byBranch.status, byBranch.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    expect((await read(crewId, 'director')).body.history.some((e: { type: string }) => e.type === 'feedback')).toBe(false);
    expect((await act(crewId, 'feedback', 'engineering', form)).status).toBe(200);
    const early = await act(crewId, 'director-decision', 'director', { decision: 'rehandle' });
    expect([early.status, early.body.error.code]).toEqual([409, 'INVALID_STATE']);
  });
});
