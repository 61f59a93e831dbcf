// A problem found on a callback becomes a complaint through the same intake as POST /v1/complaints.
import { createComplaintBody } from '../../schemas/complaint.schema';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import type { OutcomeBody } from '../../schemas/contract.schema';
import type { createComplaintService } from './complaints.service';
import type { CallbackDocLean, ContractDocLean } from './contract-views';

type ComplaintService = ReturnType<typeof createComplaintService>;

/** Opens the complaint through the same intake as POST /v1/complaints; the callback id keys it, so a retry reuses it. */
export async function openProblemComplaint(
  complaints: ComplaintService,
  cb: CallbackDocLean,
  project: ContractDocLean,
  problem: NonNullable<OutcomeBody['problem']>,
  user: StaffUser,
) {
  const parsed = createComplaintBody.safeParse({
    kind: 'customer',
    source: 'callback',
    contractNo: cb.contractNo,
    branch: cb.branch,
    complainant: { name: project.customer?.name ?? undefined, phone: project.customer?.phone ?? undefined },
    category: problem.category,
    description: problem.description,
    severity: problem.severity,
    finding: problem.finding,
  });
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', `the customer record of contract ${cb.contractNo} lacks what a complaint needs`, [
      { field: 'problem', rule: 'customer_on_record', message: 'the registered customer needs a name and a phone number' },
    ]);
  }
  try {
    const { body } = await complaints.open(parsed.data, user, `callback-problem:${cb._id}`, 'callback');
    return body.id;
  } catch (err) {
    if (err instanceof AppError && err.code === 'IDEMPOTENCY_KEY_REUSED') {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'a complaint was already opened for this callback with another problem; repeat it unchanged', [
        { field: 'problem', rule: 'same_problem', message: 'a retry must describe the problem as the first attempt did' },
      ]);
    }
    throw err;
  }
}
