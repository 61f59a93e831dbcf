// Activities that touch nothing, for workflow tests with stubbed IO: each test overrides the ones it observes.
import type { Activities } from '../../activities/create-activities';

const none = { notificationsCreated: 0, notificationIds: [] as string[] };

export function stubActivities(overrides: Partial<Activities> = {}): Activities {
  return {
    recordCaseEvent: async () => none,
    recordScheduleChange: async () => none,
    recordCaseStep: async () => none,
    recordContractStep: async () => none,
    writeLegalHandoff: async ({ complaintId, seq }) => `${complaintId}:${seq}`,
    createTask: async () => true,
    deliverNotification: async () => 'disabled',
    storeKpiSummary: async ({ period, label }) => ({ id: `${period}:${label}`, created: true, notificationIds: [] }),
    // No calendar is stored: schedules plan on the policy's calendar and weekends.
    loadCalendarYear: async () => null,
    notifyCalendarMissing: async () => ({ created: true, notificationIds: [] }),
    signalSchedulesPage: async () => ({ signalled: 0, next: undefined }),
    ...overrides,
  };
}
