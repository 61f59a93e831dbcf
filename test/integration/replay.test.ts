// Recorded histories must replay on today's workflow code (`npm run record:histories` re-records them).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ROOT } from '../support/tools';

const DIR = path.join(__dirname, '../fixtures/histories');
const files = () => readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('replays every recorded history without a nondeterminism error', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')).events.length).toBeGreaterThan(50);
    // Plain Node, as ops would run it: vitest's module graph duplicates protobufjs, which the replayer's JSON parser rejects.
    const out = execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/replay-histories.ts', DIR, inject('workflowBundlePath')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    for (const file of files) expect(out).toContain(`replayed ${file}`);
    // One replayer process for every fixture (a dozen since the second wave): on two shared cores that outlasts the default minute.
  }, 240_000);

  it('detects a history that no longer matches the code', () => {
    const history = JSON.parse(readFileSync(path.join(DIR, files()[0]!), 'utf8'));
    // Rename the first activity the history scheduled: today's code schedules a different one at that point.
    const scheduled = history.events.find((e: { eventType: string }) => /ACTIVITY_TASK_SCHEDULED/.test(e.eventType));
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'sendFax';
    const broken = path.join(mkdtempSync(path.join(os.tmpdir(), 'replay-')), 'broken.json');
    writeFileSync(broken, JSON.stringify(history));
    expect(() =>
      execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/replay-histories.ts', broken, inject('workflowBundlePath')], {
        cwd: ROOT,
        stdio: 'pipe',
      }),
    ).toThrow();
  });
});
