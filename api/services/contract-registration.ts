// What makes two contract registrations the same request, and the answer when they are not.
import type { CreateContractBody } from '../../schemas/contract.schema';
import { AppError } from '../errors';
import { sha256 } from './case-workflows';

/** The effective registration, so the same instant written with another offset is still the same request. */
export function registrationHash(body: CreateContractBody, defaultWarrantyMonths: number): string {
  const iso = (s: string) => new Date(s).toISOString();
  return sha256(
    JSON.stringify({
      contractNo: body.contractNo,
      branch: body.branch,
      customer: { name: body.customer.name, phone: body.customer.phone },
      address: body.address ?? null,
      designer: body.designer ?? null,
      siteSupervisor: body.siteSupervisor ?? null,
      foreman: body.foreman ?? null,
      contractSignedAt: iso(body.contractSignedAt),
      plannedCompletionAt: iso(body.plannedCompletionAt),
      warrantyMonths: body.warrantyMonths ?? defaultWarrantyMonths,
    }),
  );
}

export function conflict(contractNo: string): AppError {
  return new AppError('CONTRACT_CONFLICT', `contract ${contractNo} is already registered with different data`, [
    { field: 'contractNo', rule: 'same_body', message: 'a repeat registration must send the same body' },
  ]);
}
