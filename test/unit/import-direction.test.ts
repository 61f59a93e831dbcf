// Every import points down: domain ← schemas / workflows / activities / db ← api / worker; bench never uses test helpers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '../..');

/** The folders each layer may import from (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  domain: [],
  schemas: ['domain'],
  db: ['domain'],
  workflows: ['domain'],
  activities: ['domain', 'db'],
  config: ['domain', 'schemas'],
  api: ['domain', 'schemas', 'db', 'workflows', 'config'],
  worker: ['domain', 'schemas', 'db', 'workflows', 'activities', 'config'],
  bench: ['domain', 'schemas', 'db', 'workflows', 'activities', 'config', 'api', 'worker', 'scripts', 'tools'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.m?ts$/.test(name) ? [full] : [];
  });
}

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    const target = path.relative(ROOT, path.resolve(path.dirname(file), m[3]!));
    found.push({ file: path.relative(ROOT, file), target, typeOnly: Boolean(m[2]) });
  }
  return found;
}

/** Server launchers the runtime branch owns; they move out of test/support there, then this list empties. */
const KNOWN_EXCEPTIONS = new Set<string>();

const all = Object.keys(ALLOWED).flatMap((layer) => sources(path.join(ROOT, layer)).flatMap(importsOf));

describe('import direction', () => {
  it('reads the imports of every layer', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('has no upward import', () => {
    const upward = all.filter(({ file, target, typeOnly }) => {
      const from = file.split(path.sep)[0]!;
      const to = target.split(path.sep)[0]!;
      // The one sanctioned exception: workflows type their activity proxies from the activity factory.
      if (from === 'workflows' && to === 'activities' && typeOnly) return false;
      return from !== to && !ALLOWED[from]!.includes(to) && !KNOWN_EXCEPTIONS.has(`${file} -> ${target}`);
    });
    expect(upward.map((i) => `${i.file} -> ${i.target}`)).toEqual([]);
  });

  it('lets workflows see activities only as types (proxyActivities), never run them in the sandbox', () => {
    const runtime = sources(path.join(ROOT, 'workflows'))
      .flatMap(importsOf)
      .filter((i) => i.target.startsWith(`activities${path.sep}`) && !i.typeOnly);
    expect(runtime.map((i) => `${i.file} -> ${i.target}`)).toEqual([]);
  });

  it('keeps Node built-ins, mongoose and express out of workflows and domain', () => {
    const bad = ['workflows', 'domain'].flatMap((layer) =>
      sources(path.join(ROOT, layer)).filter((f) => /from ['"](node:|mongoose|express|fs|path|crypto)/.test(readFileSync(f, 'utf8'))),
    );
    expect(bad.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
