// The one scope function (domain/scope.ts): which roles are limited to branches, and what a branch token sees.
import { describe, expect, it } from 'vitest';
import { BRANCH_SCOPED_ROLES, caseScope, inScope, isBranchScoped, lacksBranchClaim } from '../../domain/scope';
import { ROLES } from '../../domain/roles';

describe('caseScope', () => {
  it('branch offices and assistants are limited to the branches their token names', () => {
    expect(caseScope({ roles: ['branch'], branch: 'north' })).toEqual({ branches: ['north'] });
    expect(caseScope({ roles: ['assistant'], branches: ['north', 'east'] })).toEqual({ branches: ['north', 'east'] });
    expect(caseScope({ roles: ['assistant'], branch: 'north', branches: ['north', 'east'] })).toEqual({ branches: ['north', 'east'] });
  });

  it('the center (supervisor up, engineering, hr, legal, regional president, VP, admin) sees every branch, whatever the claim', () => {
    for (const role of ROLES.filter((r) => !BRANCH_SCOPED_ROLES.includes(r))) {
      expect(caseScope({ roles: [role], branch: 'north' }), role).toEqual({ all: true });
    }
    expect(caseScope({ roles: ['assistant', 'supervisor'], branch: 'north' })).toEqual({ all: true });
  });

  it('a branch-scoped token without a claim sees nothing and is refused', () => {
    expect(caseScope({ roles: ['branch'] })).toEqual({ branches: [] });
    expect(lacksBranchClaim({ roles: ['branch'] })).toBe(true);
    expect(lacksBranchClaim({ roles: ['assistant'] })).toBe(true);
    expect(lacksBranchClaim({ roles: ['assistant'], branch: 'north' })).toBe(false);
    expect(lacksBranchClaim({ roles: ['supervisor'] })).toBe(false);
    expect(isBranchScoped({ roles: [] })).toBe(false);
  });
});

describe('inScope', () => {
  const south = { roles: ['assistant' as const], branch: 'south' };
  it('another branch is out of scope', () => {
    expect(inScope(south, 'north')).toBe(false);
    expect(inScope(south, 'south')).toBe(true);
    expect(inScope({ roles: ['director'] }, 'north')).toBe(true);
  });

  it('an unassigned complaint is the hotline’s until triage assigns a branch; never the branch office’s', () => {
    expect(inScope(south, undefined, { unassignedToHotline: true })).toBe(true);
    expect(inScope(south, undefined)).toBe(false);
    expect(inScope({ roles: ['branch'], branch: 'south' }, null, { unassignedToHotline: true })).toBe(false);
  });
});
