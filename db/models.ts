// MongoDB documents of the case files; every write path keys on a business id so retries never duplicate.
import mongoose, { Schema, type Connection, type InferSchemaType } from 'mongoose';

const opts = { versionKey: false, minimize: false } as const;

const complaintSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    source: { type: String, required: true },
    contractNo: String,
    branch: String,
    category: String,
    description: String,
    location: String,
    occurredAt: Date,
    // Personal data: only read through the confidentiality rule, never logged or indexed in Temporal.
    complainant: { name: String, phone: String, anonymous: Boolean },
    accused: { name: String, role: String },
    customerKey: { type: String, index: true },
    assignee: String,
    repeat: Boolean,
    workflowId: { type: String, required: true },
    idempotencyKey: String,
    requestHash: String,
    createdBy: String,
    createdAt: { type: Date, required: true },
    policyVersion: String,
    // Projection of the workflow state, written by activities in event order.
    status: { type: String, index: true },
    step: String,
    level: { type: String, index: true },
    round: Number,
    severity: String,
    priority: String,
    routedTo: String,
    overdue: Boolean,
    valid: Boolean,
    deadline: { step: String, startedAt: Date, dueAt: Date, warningsSent: Number, remainingMs: Number },
    nextDeadlineAt: Date,
    closedAt: Date,
    firstCallbackOnTime: Boolean,
    followUps: Number,
    resolvedAt: Date,
    handlingMs: Number,
    surveySatisfied: Boolean,
    // The answer promised at intake (cases with the clock only): due, given, missed; answeredOnTime feeds the KPI.
    answer: { startedAt: Date, dueAt: Date, answeredAt: Date, onTime: Boolean, missed: Boolean },
    answeredOnTime: Boolean,
    // Set from case-file entries for the KPIs: triage's validity, the repair's completion, a reopen, an external answer.
    validConfirmed: Boolean,
    repairCompletedAt: Date,
    reopened: Boolean,
    externalAnsweredOnTime: Boolean,
    remedies: { type: [Schema.Types.Mixed], default: [] },
    approvals: { type: [Schema.Types.Mixed], default: [] },
    // Decisions asked of the matrix and not yet decided (who asked, when, who it waits for).
    approvalRequests: { type: [Schema.Types.Mixed], default: [] },
    stateSeq: { type: Number, default: 0 },
  },
  opts,
);

const caseEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    complaintId: { type: String, required: true, index: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    // When the entry reached the database (at is the case's own clock): the gap is how late the engine ran.
    recordedAt: Date,
    type: { type: String, required: true },
    level: String,
    by: String,
    data: { type: Schema.Types.Mixed, default: {} },
  },
  opts,
);

const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    caseType: { type: String, required: true },
    type: { type: String, required: true },
    recipientRole: { type: String, required: true, index: true },
    branch: String,
    level: String,
    message: { type: String, required: true },
    createdAt: { type: Date, required: true },
    readBy: { type: [String], default: [] },
    deliveredAt: Date,
  },
  opts,
);

const taskSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    complaintId: String,
    contractNo: String,
    branch: String,
    assigneeRole: { type: String, required: true },
    dueAt: { type: Date, required: true },
    status: { type: String, required: true, default: 'due' },
    createdAt: { type: Date, required: true },
    doneBy: String,
    doneAt: Date,
    notes: String,
  },
  opts,
);

const handoffSchema = new Schema(
  {
    _id: { type: String, required: true },
    complaintId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    complaint: { type: Schema.Types.Mixed, required: true },
    history: { type: [Schema.Types.Mixed], required: true },
  },
  opts,
);

const contractSchema = new Schema(
  {
    _id: { type: String, required: true },
    branch: { type: String, required: true, index: true },
    // Personal data: returned through the api to staff, never logged or put in Temporal.
    customer: { name: String, phone: String },
    // Hash of the phone's digits, so a lookup by phone needs no raw number in the query.
    customerKey: { type: String, index: true },
    // Who changed the customer's contact and when (never the numbers themselves).
    customerUpdates: { type: [Schema.Types.Mixed], default: undefined },
    assignee: String,
    address: String,
    designer: String,
    siteSupervisor: String,
    foreman: String,
    contractSignedAt: { type: Date, required: true },
    plannedCompletionAt: { type: Date, required: true },
    warrantyMonths: { type: Number, required: true },
    requestHash: { type: String, required: true },
    workflowId: { type: String, required: true },
    policyVersion: String,
    createdBy: String,
    createdAt: { type: Date, required: true },
    // Projection of the schedule workflow, written in event order.
    phase: { type: String, index: true },
    milestones: { type: Schema.Types.Mixed, default: {} },
    // Calls planned but not yet due, with the calendar version each was planned with.
    plan: { type: [Schema.Types.Mixed], default: undefined },
    // The cancellation request waiting for its approver (null once decided): who asked, when, its clock.
    cancellationRequest: { type: Schema.Types.Mixed, default: undefined },
    stateSeq: { type: Number, default: 0 },
  },
  opts,
);

const callbackSchema = new Schema(
  {
    _id: { type: String, required: true },
    contractNo: { type: String, required: true, index: true },
    branch: { type: String, required: true, index: true },
    kind: { type: String, required: true },
    dueAt: { type: Date, required: true, index: true },
    status: { type: String, required: true, index: true },
    outcome: String,
    attempts: { type: Number, default: 0 },
    complaintId: String,
    onTime: Boolean,
    createdAt: { type: Date, required: true },
    updatedAt: Date,
    version: { type: Number, default: 0 },
  },
  opts,
);

const contractEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    contractNo: { type: String, required: true, index: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    // When the entry reached the database (at is the case's own clock): the gap is how late the engine ran.
    recordedAt: Date,
    type: { type: String, required: true },
    by: String,
    data: { type: Schema.Types.Mixed, default: {} },
  },
  opts,
);

const summarySchema = new Schema(
  {
    _id: { type: String, required: true },
    period: { type: String, required: true, index: true },
    label: { type: String, required: true },
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    policyVersion: String,
    kpis: { type: [Schema.Types.Mixed], required: true },
    branches: { type: [Schema.Types.Mixed], default: [] },
  },
  opts,
);

// Staff free text of an action (notes, a feedback form's cause, action and responsible), kept out of Temporal: the
// case-file entries the action recorded carry its id as data.ref, and the api joins the text back when the file is read.
const actionTextSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    ref: { type: String, required: true },
    by: String,
    createdAt: { type: Date, required: true },
    text: { type: Schema.Types.Mixed, required: true },
  },
  opts,
);

// A remedy's defect label (staff text) by case: the workflow carries only its id, the label joins back on read.
const defectSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    defectId: { type: String, required: true },
    label: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  opts,
);

// Metadata of a file attached to a case (the file itself lives elsewhere); the name may carry personal data.
const attachmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseType: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    type: { type: String, required: true },
    size: { type: Number, required: true },
    kind: String,
    recording: { type: Schema.Types.Mixed, default: undefined },
    by: { type: String, required: true },
    at: { type: Date, required: true },
    requestHash: String,
  },
  opts,
);

// The case file's documents ([003] ch.5 §4, ch.7 §2): reviews, letters, inspections, apologies; each step its own
// document keyed on its business id (a letter's decision, a party's signature), so no two writers update one document.
const caseDocumentSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    docType: { type: String, required: true },
    parent: String,
    by: { type: String, required: true },
    role: String,
    at: { type: Date, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    requestHash: String,
  },
  opts,
);

// One working-day calendar per year, versioned; its history is pushed in the same write, so the audit never lags.
const calendarSchema = new Schema(
  {
    _id: { type: String, required: true },
    year: { type: Number, required: true },
    version: { type: Number, required: true },
    source: { type: String, required: true },
    publicHolidays: { type: [{ _id: false, date: String, name: String }], default: [] },
    makeUpWorkingDays: { type: [String], default: [] },
    contentHash: { type: String, required: true },
    publishedBy: { type: String, required: true },
    publishedAt: { type: Date, required: true },
    history: { type: [Schema.Types.Mixed], default: [] },
  },
  opts,
);

// The worklist read model: one document per actionable item, kept current by the activities that write each step.
const workItemSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    caseType: { type: String, required: true },
    caseId: { type: String, required: true },
    /** Assignment keys that apply: the whole case, and the call for a callback. */
    caseKey: { type: String, required: true, index: true },
    callKey: { type: String, index: true },
    complaintKind: String,
    callbackKind: String,
    contractNo: String,
    branch: String,
    roles: { type: [String], default: [] },
    assignee: String,
    assignedAt: Date,
    dueAt: Date,
    visibleFrom: Date,
    // Personal data copied from the case documents (never from workflow history); shown only to roles that call customers.
    customer: { name: String, phone: String },
    action: String,
    open: { type: Boolean, required: true },
    settledAt: Date,
    seq: { type: Number, default: -1 },
    createdAt: { type: Date, required: true },
    updatedAt: Date,
    /** Bucket keys `<role>|<branch>|<assignee slot>|<due day>` (domain/worklist-buckets.ts); empty once settled. */
    wl: { type: [String], default: undefined },
    wlv: Number,
  },
  opts,
);
// The worklist query: one bucket key (open items of one scope, due that day); the older compound indexes stay for other reads.
workItemSchema.index({ wl: 1 });
workItemSchema.index({ open: 1, roles: 1, dueAt: 1, _id: 1 });
workItemSchema.index({ open: 1, branch: 1, roles: 1, dueAt: 1, _id: 1 });
workItemSchema.index({ open: 1, assignee: 1, dueAt: 1, _id: 1 });

/** Which due buckets of a scope prefix may hold open items: written after the item, removed by a reader that finds it empty. */
const worklistBucketSchema = new Schema(
  {
    _id: { type: String, required: true },
    prefix: { type: String, required: true, index: true },
    day: { type: String, required: true },
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    early: { type: Boolean, required: true },
    /** An hour record of a split (every-branch) day, whose `prefix` is the day's bucket key. */
    hour: { type: Number },
  },
  opts,
);

/** Who a supervisor gave a case or a call to; the latest assignment that applies to an item decides. */
const assignmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    assignee: { type: String, required: true },
    assignedBy: { type: String, required: true },
    at: { type: Date, required: true },
  },
  opts,
);
// The complaints list's owner filter finds a staff member's cases here (the case documents carry no assignee).
assignmentSchema.index({ assignee: 1 });

/** A plain note or a logged call attempt on a case, written once per key. */
const caseNoteSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseType: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    type: { type: String, required: true },
    reached: Boolean,
    text: String,
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  opts,
);

// One request answered once: a client's Idempotency-Key (scoped to the caller and route) and what the first request answered.
const idempotencySchema = new Schema(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    state: { type: String, required: true },
    // Indexed for the expiry sweep (api/idempotency.ts): FerretDB has no TTL indexes.
    claimedAt: { type: Date, required: true, index: true },
    doneAt: Date,
    response: Schema.Types.Mixed,
  },
  opts,
);

export type ComplaintDoc = InferSchemaType<typeof complaintSchema>;
export type ContractDoc = InferSchemaType<typeof contractSchema>;
export type CallbackDoc = InferSchemaType<typeof callbackSchema>;
export type CaseEventDoc = InferSchemaType<typeof caseEventSchema>;
export type NotificationDoc = InferSchemaType<typeof notificationSchema>;
export type TaskDoc = InferSchemaType<typeof taskSchema>;
export type CalendarDoc = InferSchemaType<typeof calendarSchema>;
export type WorkItemDoc = InferSchemaType<typeof workItemSchema>;
export type CaseNoteDoc = InferSchemaType<typeof caseNoteSchema>;

/** What a notification says outside the database (webhook body, API): ids, roles and text, never personal data. */
export function notificationPayload(n: NotificationDoc & { _id: string }) {
  return {
    id: n._id,
    caseId: n.caseId,
    caseType: n.caseType,
    type: n.type,
    recipientRole: n.recipientRole,
    branch: n.branch ?? null,
    level: n.level ?? null,
    message: n.message,
    createdAt: n.createdAt.toISOString(),
  };
}

export function createModels(conn: Connection) {
  return {
    Complaint: conn.model('Complaint', complaintSchema, 'complaints'),
    CaseEvent: conn.model('CaseEvent', caseEventSchema, 'case_events'),
    Notification: conn.model('Notification', notificationSchema, 'notifications'),
    Task: conn.model('Task', taskSchema, 'tasks'),
    Handoff: conn.model('Handoff', handoffSchema, 'legal_handoffs'),
    // Contracts keep their historical collection names (projects, project_events): stored data stays where it is.
    Contract: conn.model('Contract', contractSchema, 'projects'),
    Callback: conn.model('Callback', callbackSchema, 'callbacks'),
    ContractEvent: conn.model('ContractEvent', contractEventSchema, 'project_events'),
    Summary: conn.model('Summary', summarySchema, 'report_summaries'),
    Idempotency: conn.model('Idempotency', idempotencySchema, 'idempotency_keys'),
    ActionText: conn.model('ActionText', actionTextSchema, 'action_texts'),
    Calendar: conn.model('Calendar', calendarSchema, 'calendars'),
    WorkItem: conn.model('WorkItem', workItemSchema, 'worklist'),
    WorklistBucket: conn.model('WorklistBucket', worklistBucketSchema, 'worklist_buckets'),
    Assignment: conn.model('Assignment', assignmentSchema, 'assignments'),
    CaseNote: conn.model('CaseNote', caseNoteSchema, 'case_notes'),
    Defect: conn.model('Defect', defectSchema, 'defects'),
    Attachment: conn.model('Attachment', attachmentSchema, 'attachments'),
    CaseDocument: conn.model('CaseDocument', caseDocumentSchema, 'case_documents'),
  };
}
export type Models = ReturnType<typeof createModels>;

/**
 * Operations one process has in flight at once. FerretDB 1.24 holds one PostgreSQL connection while an update takes a
 * second, so more concurrent operations than half its pool (FERRETDB_PG_POOL) deadlock it for good (RELIABILITY.md).
 */
export const DATABASE_POOL_SIZE = 10;

export async function connectDatabase(uri: string, maxPoolSize = DATABASE_POOL_SIZE): Promise<Connection> {
  const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000, autoIndex: true, maxPoolSize });
  await conn.asPromise();
  return conn;
}

/** Mongo reports a duplicate key when two retries upsert the same id at once; the document is there, so that is success. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** Inserts a document keyed on its business id once: true when this call wrote it, false when it was already there. */
export async function insertOnce(run: () => Promise<{ upsertedCount: number }>): Promise<boolean> {
  try {
    return (await run()).upsertedCount === 1;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
