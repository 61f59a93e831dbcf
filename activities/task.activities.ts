// Tasks a case leaves for staff outside its own clock (a survey, a post-repair call without a schedule): written once per id.
import type { Models } from '../db/models';
import { insertOnce } from '../db/models';
import type { Role } from '../domain/roles';
import type { WorklistWriter } from '../db/worklist-writer';

export interface TaskInput {
  id: string;
  type: string;
  complaintId?: string;
  contractNo?: string;
  branch?: string;
  assigneeRole: Role;
  dueAt: string;
}

export function taskActivities({ Task }: Models, worklist: WorklistWriter) {
  return {
    async createTask(task: TaskInput): Promise<boolean> {
      const { id, ...fields } = task;
      const created = await insertOnce(() =>
        Task.updateOne({ _id: id }, { $setOnInsert: { ...fields, dueAt: new Date(task.dueAt), status: 'due', createdAt: new Date() } }, { upsert: true }),
      );
      // Also on a retry: the task may be stored while its item is not yet.
      await worklist.task(task);
      return created;
    },
  };
}
