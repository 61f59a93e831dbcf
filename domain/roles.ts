// Staff roles and the escalation ladder of DOMAIN.md; plain constants so workflows, api and tests share them.

export const ROLES = ['assistant', 'supervisor', 'director', 'engineering', 'branch', 'legal', 'regional_president', 'vp', 'executive', 'hr', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** `executive` is the old name of the regional president and the VP together; tokens that still carry it hold both. */
export function expandRoles(roles: readonly Role[]): Role[] {
  const out = new Set(roles);
  if (out.has('executive')) for (const r of ['regional_president', 'vp'] as const) out.add(r);
  return [...out];
}

export const LEVELS = ['assistant', 'supervisor', 'director', 'legal'] as const;
export type Level = (typeof LEVELS)[number];

export const SEVERITIES = ['general', 'serious', 'major'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export function levelIndex(level: Level): number {
  return LEVELS.indexOf(level);
}

export function higherLevel(a: Level, b: Level): Level {
  return levelIndex(a) >= levelIndex(b) ? a : b;
}

export function nextLevel(level: Level): Level {
  return LEVELS[Math.min(levelIndex(level) + 1, LEVELS.length - 1)]!;
}
