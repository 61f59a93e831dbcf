// Notices: stored once per case entry and role, then posted to the company's webhook, signed, at most once.
import { Context } from '@temporalio/activity';
import { createHmac } from 'node:crypto';
import type { Models } from '../db/models';
import { insertOnce, notificationPayload } from '../db/models';

export interface WebhookConfig {
  url: string;
  secret: string;
  /** Per-request timeout; a slow receiver counts as a failed attempt and Temporal retries it. */
  timeoutMs?: number;
}

/** One notice per case entry and recipient role, so a retried entry finds its notices already written. */
export function noticeId(caseId: string, seq: number, role: string): string {
  return `${caseId}:${seq}:${role}`;
}

export function createNotice(models: Models, id: string, fields: Record<string, unknown>): Promise<boolean> {
  return insertOnce(() => models.Notification.updateOne({ _id: id }, { $setOnInsert: { ...fields, readBy: [] } }, { upsert: true }));
}

export interface NoticeFields {
  caseId: string;
  caseType: string;
  seq: number;
  type: string;
  branch?: string;
  level?: string;
  message: string;
  createdAt: Date;
}

/** The notices of one case entry, one per recipient role; answers how many this call wrote and every notice id. */
export async function createNotices(models: Models, { seq, ...fields }: NoticeFields, roles: readonly string[]) {
  const ids = roles.map((role) => noticeId(fields.caseId, seq, role));
  const created = await Promise.all(roles.map((role, i) => createNotice(models, ids[i]!, { ...fields, recipientRole: role })));
  return { notificationsCreated: created.filter(Boolean).length, notificationIds: ids };
}

/** Header value a receiver recomputes to trust a notification: HMAC-SHA256 over the exact body bytes. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function notificationActivities(models: Models, webhook: WebhookConfig | undefined) {
  const { Notification } = models;
  return {
    /**
     * Posts one stored notification to the webhook, signed, at most once: a recorded delivery is never posted again,
     * and the id travels in the body and a header so a receiver can drop a repeat after a crash mid-post.
     */
    async deliverNotification(id: string): Promise<'delivered' | 'already' | 'disabled' | 'missing'> {
      if (!webhook) return 'disabled';
      const n = await Notification.findById(id).lean();
      if (!n) return 'missing';
      if (n.deliveredAt) return 'already';
      const body = JSON.stringify(notificationPayload(n));
      const res = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-notification-id': n._id, 'x-signature-sha256': webhookSignature(webhook.secret, body) },
        body,
        signal: AbortSignal.timeout(webhook.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status} for notification ${id}`);
      await Notification.updateOne({ _id: id, deliveredAt: null }, { $set: { deliveredAt: new Date() } });
      Context.current().metricMeter.createCounter('notifications_sent', 'notifications', 'Notifications delivered to the webhook').add(1, { type: n.type });
      return 'delivered';
    },
  };
}
