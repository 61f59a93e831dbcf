// Guards docker-compose.yml, the Dockerfile and deploy/ so a broken deployment fails CI without needing a Docker engine.
import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseEnv } from '../../config/env';
import { SA } from '../../workflows/search-attributes';
import { PG_SESSION } from '../../scripts/lib/ferretdb';
import { CLUSTER_PARTS, defaultPorts } from '../../scripts/lib/cluster';

type Service = Record<string, any>;
type ComposeDoc = { services?: Record<string, Service>; networks?: Record<string, unknown>; volumes?: Record<string, unknown> };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const execFileAsync = promisify(execFile);

const APIS = [...CLUSTER_PARTS.apis];
const WORKERS = [...CLUSTER_PARTS.workers];
const NODES = [...CLUSTER_PARTS.nodes];
// The native cluster's parts (scripts/lib/cluster.ts) by the same names, plus the one-shot jobs.
const REQUIRED_SERVICES = [
  'postgresql',
  'temporal-schema',
  ...NODES,
  'temporal-create-namespace',
  'temporal-create-search-attributes',
  'temporal-ui',
  'ferretdb',
  ...WORKERS,
  ...APIS,
];
const HEALTHCHECKED = [...NODES, 'postgresql', ...APIS];
const NATIVE = defaultPorts();
const PUBLISHED_PORTS: Record<string, number> = { 'temporal-1': NATIVE.frontend, 'temporal-ui': NATIVE.ui, 'api-1': NATIVE.apis[0], 'api-2': NATIVE.apis[1] };
const SEARCH_ATTRIBUTES: Record<string, string> = {
  CaseKind: 'Keyword',
  Branch: 'Keyword',
  ContractNo: 'Keyword',
  Severity: 'Keyword',
  Priority: 'Keyword',
  EscalationLevel: 'Keyword',
  Round: 'Int',
  CaseStatus: 'Keyword',
  Phase: 'Keyword',
  NextDeadline: 'Datetime',
  Overdue: 'Bool',
  CalendarMissing: 'Bool',
};
// Values after interpolation with only AUTH_JWT_SECRET set, i.e. what a default deployment gets; null = value-less pass-through.
const TEST_SECRET = 'compose-test-secret-0123456789abcdef0123456789';
const APP_ENV: Record<string, string | null> = {
  TEMPORAL_ADDRESS: 'temporal:7233',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'service-cases',
  MONGODB_URI: 'mongodb://ferretdb:27017/service_cases',
  PORT: '3000',
  HOST: '0.0.0.0',
  AUTH_JWT_SECRET: TEST_SECRET,
  LOG_LEVEL: 'info',
  WEBHOOK_URL: '',
  WEBHOOK_SECRET: '',
  POLICY_FILE: null,
};
const WORKER_ENV: Record<string, string | null> = { ...APP_ENV, METRICS_PORT: '9464' };
// SQL visibility pre-allocates a fixed number of custom columns per type (Keyword01..10, Int01..03, ...).
const SQL_VISIBILITY_SLOTS: Record<string, number> = { Keyword: 10, Int: 3, Datetime: 3, Bool: 3, Double: 3, Text: 3, KeywordList: 3 };
const DEPENDS_CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

// Minimal Compose interpolation so env assertions see what containers would actually get.
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name, colon, op, arg, bare) => {
    if (m === '$$') return '$';
    if (bare) return env[bare] ?? '';
    const v = env[name];
    const missing = colon ? v === undefined || v === '' : v === undefined;
    if (op === '-') return missing ? arg : (v as string);
    if (op === '?') {
      if (missing) throw new Error(`required variable ${name} is missing: ${arg}`);
      return v as string;
    }
    return v ?? '';
  });
}

// Normalises list/map environment syntax; null marks a value-less entry (taken from the shell only if set there).
function envOf(svc: Service): Record<string, string | null> {
  const raw = svc.environment ?? {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(raw.map((e: string) => [e.split('=')[0], e.includes('=') ? e.slice(e.indexOf('=') + 1) : null]));
  }
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]));
}

// What the container sees with only AUTH_JWT_SECRET exported; pass-through entries stay unset.
function resolvedEnv(svc: Service, shell: Record<string, string> = { AUTH_JWT_SECRET: TEST_SECRET }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(envOf(svc))) {
    if (v === null) {
      if (shell[k] !== undefined) out[k] = shell[k];
    } else {
      out[k] = interpolate(v, shell);
    }
  }
  return out;
}

function dependsOn(svc: Service): Record<string, string> {
  const d = svc.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((n: string) => [n, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([n, v]: [string, any]) => [n, v?.condition ?? 'service_started']));
}

function publishedPorts(svc: Service): number[] {
  return (svc.ports ?? []).map((p: any) => {
    if (typeof p === 'object') return Number(p.published);
    const parts = String(p).split('/')[0]!.split(':');
    return parts.length >= 2 ? Number(parts[parts.length - 2]) : NaN;
  });
}

// Parses short-syntax volumes into {source,target}; long syntax is passed through.
function mounts(svc: Service): { source?: string; target: string }[] {
  return (svc.volumes ?? []).map((v: any) => {
    if (typeof v === 'object') return { source: v.source, target: v.target };
    const parts = String(v).split(':');
    return parts.length === 1 ? { target: parts[0] } : { source: parts[0], target: parts[1] };
  });
}

// Maps a path inside the container back to the repo file it is bind-mounted from.
function hostPathFor(svc: Service, containerPath: string): string | undefined {
  for (const m of mounts(svc)) {
    if (!m.source || !/^\.{0,2}\//.test(m.source)) continue;
    if (containerPath === m.target || containerPath.startsWith(`${m.target}/`)) {
      return path.join(ROOT, m.source, containerPath.slice(m.target.length));
    }
  }
  return undefined;
}

function commandWords(svc: Service): string[] {
  const c = svc.command;
  if (c === undefined) return [];
  return Array.isArray(c) ? c.map(String) : String(c).split(/\s+/).filter(Boolean);
}

// Looks a service up or fails loudly, so tests never silently poke at undefined.
function service(doc: ComposeDoc, name: string): Service {
  const svc = doc.services?.[name];
  if (!svc) throw new Error(`docker-compose.yml has no service ${name}`);
  return svc;
}

function loadCompose(): ComposeDoc {
  const doc = parseDocument(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true });
  const issues = [...doc.errors, ...doc.warnings].map((e) => e.message);
  if (issues.length) throw new Error(`docker-compose.yml is not valid YAML:\n${issues.join('\n')}`);
  return doc.toJS() as ComposeDoc;
}

// Returns every problem found so one CI run reports them all.
function validateCompose(doc: ComposeDoc): string[] {
  const problems: string[] = [];
  const services = doc.services ?? {};
  const names = Object.keys(services);

  for (const name of REQUIRED_SERVICES) if (!services[name]) problems.push(`missing service ${name}`);

  for (const [name, svc] of Object.entries(services)) {
    if (!svc.image && !svc.build) problems.push(`${name}: needs image or build`);

    for (const [dep, cond] of Object.entries(dependsOn(svc))) {
      if (!services[dep]) problems.push(`${name}: depends_on unknown service ${dep}`);
      if (!DEPENDS_CONDITIONS.has(cond)) problems.push(`${name}: depends_on ${dep} has invalid condition ${cond}`);
      if (cond === 'service_healthy' && services[dep] && !services[dep].healthcheck) {
        problems.push(`${name}: waits for ${dep} to be healthy but ${dep} has no healthcheck`);
      }
      if (cond === 'service_completed_successfully' && ['always', 'unless-stopped'].includes(services[dep]?.restart)) {
        problems.push(`${name}: waits for one-shot ${dep} to complete but it restarts forever`);
      }
    }

    for (const net of svc.networks ? (Array.isArray(svc.networks) ? svc.networks : Object.keys(svc.networks)) : []) {
      if (!doc.networks || !(net in doc.networks)) problems.push(`${name}: network ${net} is not declared`);
    }
    for (const m of mounts(svc)) {
      if (!m.source) continue;
      if (/^\.{0,2}\//.test(m.source)) {
        if (!existsSync(path.join(ROOT, m.source))) problems.push(`${name}: bind mount source ${m.source} does not exist`);
      } else if (!doc.volumes || !(m.source in doc.volumes)) {
        problems.push(`${name}: named volume ${m.source} is not declared`);
      }
    }
  }

  // Cycles would make `docker compose up` refuse to start anything.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, trail: string[]): void => {
    if (state.get(n) === 'done' || !services[n]) return;
    if (state.get(n) === 'visiting') {
      problems.push(`depends_on cycle: ${[...trail, n].join(' -> ')}`);
      return;
    }
    state.set(n, 'visiting');
    for (const dep of Object.keys(dependsOn(services[n]))) visit(dep, [...trail, n]);
    state.set(n, 'done');
  };
  for (const n of names) visit(n, []);

  for (const name of HEALTHCHECKED) {
    const hc = services[name]?.healthcheck;
    if (!hc || hc.disable || !hc.test || (Array.isArray(hc.test) && (hc.test.length === 0 || hc.test[0] === 'NONE'))) {
      problems.push(`${name}: missing healthcheck`);
    }
  }
  for (const name of APIS) {
    const apiProbe = JSON.stringify(services[name]?.healthcheck?.test ?? '');
    if (services[name] && !/\/readyz/.test(apiProbe)) problems.push(`${name}: healthcheck must probe GET /readyz`);
  }
  const ferret = services.ferretdb;
  if (ferret) {
    const env = envOf(ferret);
    if (!/^ghcr\.io\/ferretdb\/ferretdb:/.test(String(ferret.image ?? ''))) problems.push('ferretdb: image must be ghcr.io/ferretdb/ferretdb');
    if (env.FERRETDB_HANDLER !== 'postgresql') problems.push('ferretdb: FERRETDB_HANDLER must be postgresql');
    // The pool and plan settings npm start gives FerretDB (scripts/lib/ferretdb.ts): without them it deadlocks or scans.
    if (!interpolate(env.FERRETDB_POSTGRESQL_URL ?? '', {}).endsWith(`@postgresql:5432/ferretdb?${PG_SESSION}`))
      problems.push(`ferretdb: FERRETDB_POSTGRESQL_URL must point at postgresql:5432/ferretdb?${PG_SESSION}`);
  }

  for (const [name, port] of Object.entries(PUBLISHED_PORTS)) {
    if (services[name] && !publishedPorts(services[name]).includes(port)) problems.push(`${name}: port ${port} is not published`);
  }

  for (const [name, expected] of [...APIS.map((n) => [n, APP_ENV] as const), ...WORKERS.map((n) => [n, WORKER_ENV] as const)]) {
    const svc = services[name];
    if (!svc) continue;
    const raw = envOf(svc);
    for (const [key, want] of Object.entries(expected)) {
      if (want === null) {
        if (key in raw && raw[key] !== null) problems.push(`${name}: env ${key} must be value-less (an empty default fails config/env.ts)`);
        continue;
      }
      if (!(key in raw)) {
        problems.push(`${name}: env ${key} is missing`);
        continue;
      }
      let got: string | null;
      try {
        got = raw[key] === null ? null : interpolate(raw[key] as string, { AUTH_JWT_SECRET: TEST_SECRET });
      } catch (err) {
        problems.push(`${name}: env ${key}: ${(err as Error).message}`);
        continue;
      }
      if (got !== want) problems.push(`${name}: env ${key} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
    // `:?` makes compose refuse to start rather than run with an empty signing key.
    if (raw.AUTH_JWT_SECRET != null && !/^\$\{AUTH_JWT_SECRET:\?[^}]*\}$/.test(raw.AUTH_JWT_SECRET)) {
      problems.push(`${name}: AUTH_JWT_SECRET must use \${AUTH_JWT_SECRET:?...}`);
    }
  }
  for (const name of WORKERS.filter((n) => services[n])) {
    const cmd = commandWords(services[name]!).join(' ');
    if (cmd !== 'npx tsx worker/main.ts') problems.push(`${name}: command must be "npx tsx worker/main.ts", got "${cmd}"`);
  }
  for (const name of APIS) if (services[name] && services[name].command !== undefined) problems.push(`${name}: must use the image CMD, not a command override`);

  const sa = services['temporal-create-search-attributes'];
  if (sa) {
    if (!/^temporalio\/admin-tools(:|$)/.test(String(sa.image ?? ''))) problems.push('temporal-create-search-attributes: must use temporalio/admin-tools');
    const env = envOf(sa);
    if (interpolate(env.TEMPORAL_NAMESPACE ?? '', {}) !== 'default') problems.push('temporal-create-search-attributes: TEMPORAL_NAMESPACE must be default');
    const declared = Object.fromEntries(
      (env.SEARCH_ATTRIBUTES ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((pair) => pair.split(':') as [string, string]),
    );
    for (const [attr, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      if (declared[attr] !== type) problems.push(`search attribute ${attr} must be created as ${type}, got ${declared[attr] ?? 'nothing'}`);
    }
    const perType: Record<string, number> = {};
    for (const type of Object.values(declared)) perType[type] = (perType[type] ?? 0) + 1;
    for (const [type, count] of Object.entries(perType)) {
      if (count > (SQL_VISIBILITY_SLOTS[type] ?? 0)) problems.push(`too many ${type} search attributes for SQL visibility (${count})`);
    }
    const script = commandWords(sa).find((w) => w.endsWith('.sh'));
    const hostScript = script ? hostPathFor(sa, script) : undefined;
    if (!hostScript || !existsSync(hostScript)) {
      problems.push(`temporal-create-search-attributes: script ${script ?? '(none)'} is not mounted from the repo`);
    } else {
      const text = readFileSync(hostScript, 'utf8');
      if (!/temporal operator search-attribute create/.test(text)) problems.push('search attribute script must call temporal operator search-attribute create');
      if (!/already exists/.test(text)) problems.push('search attribute script must tolerate "already exists" (idempotency)');
    }
    const deps = dependsOn(sa);
    if (deps['temporal-create-namespace'] !== 'service_completed_successfully') {
      problems.push('temporal-create-search-attributes: must wait for temporal-create-namespace to complete');
    }
    for (const app of [...APIS, ...WORKERS]) {
      if (services[app] && dependsOn(services[app])['temporal-create-search-attributes'] !== 'service_completed_successfully') {
        problems.push(`${app}: must wait for temporal-create-search-attributes to complete`);
      }
    }
  }

  // One-shot admin-tools services must point at scripts that really exist in deploy/.
  for (const [name, svc] of Object.entries(services)) {
    for (const word of commandWords(svc).filter((w) => w.startsWith('/') && w.endsWith('.sh'))) {
      const host = hostPathFor(svc, word);
      if (!host || !existsSync(host)) problems.push(`${name}: command script ${word} is not mounted from the repo`);
    }
  }

  for (const name of NODES.filter((n) => services[n])) {
    const temporal = services[name]!;
    const dc = envOf(temporal).DYNAMIC_CONFIG_FILE_PATH ?? undefined;
    const host = dc ? hostPathFor(temporal, path.posix.join('/etc/temporal', dc)) : undefined;
    if (!host || !existsSync(host)) problems.push(`${name}: dynamic config ${dc ?? '(unset)'} is not mounted from the repo`);
  }
  return problems;
}

function findComposeCli(): string[] | undefined {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 5000 }).status === 0) return ['docker', 'compose'];
  const onPath = (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, 'docker-compose'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  return onPath ? ['docker-compose'] : undefined;
}
const composeCli = findComposeCli();

describe('docker-compose.yml', () => {
  const compose = loadCompose();

  it('passes structural validation', () => {
    expect(validateCompose(compose)).toEqual([]);
  });

  // Proves the validator is not vacuous: each breakage must be reported.
  it.each<[string, (d: ComposeDoc) => void, RegExp]>([
    ['a removed service', (d) => delete d.services!.ferretdb, /missing service ferretdb/],
    ['a dangling depends_on', (d) => (service(d, 'api-1').depends_on = { redis: { condition: 'service_healthy' } }), /unknown service redis/],
    ['a dropped healthcheck', (d) => delete service(d, 'postgresql').healthcheck, /postgresql: missing healthcheck|postgresql has no healthcheck/],
    ['an unpublished port', (d) => (service(d, 'temporal-ui').ports = []), /port 8080/],
    ['a missing env var', (d) => delete service(d, 'worker-1').environment.METRICS_PORT, /worker-1: env METRICS_PORT is missing/],
    ['an optional JWT secret', (d) => (service(d, 'api-1').environment.AUTH_JWT_SECRET = '${AUTH_JWT_SECRET:-dev}'), /AUTH_JWT_SECRET must use/],
    [
      'a missing search attribute',
      (d) => (service(d, 'temporal-create-search-attributes').environment.SEARCH_ATTRIBUTES = 'CaseKind:Keyword'),
      /search attribute Overdue must be created as Bool/,
    ],
    ['an empty POLICY_FILE default', (d) => (service(d, 'api-1').environment.POLICY_FILE = '${POLICY_FILE:-}'), /api-1: env POLICY_FILE must be value-less/],
    ['a dependency cycle', (d) => (service(d, 'ferretdb').depends_on = { 'api-1': { condition: 'service_started' } }), /cycle/],
    ['FerretDB on SQLite', (d) => (service(d, 'ferretdb').environment.FERRETDB_HANDLER = 'sqlite'), /FERRETDB_HANDLER must be postgresql/],
  ])('reports %s', (_label, mutate, expected) => {
    const broken = structuredClone(compose);
    mutate(broken);
    expect(validateCompose(broken).join('\n')).toMatch(expected);
  });

  it('refuses to interpolate without AUTH_JWT_SECRET', () => {
    const raw = envOf(service(compose, 'api-1')).AUTH_JWT_SECRET ?? '';
    expect(() => interpolate(raw, {})).toThrow(/AUTH_JWT_SECRET/);
    expect(() => interpolate(raw, { AUTH_JWT_SECRET: '' })).toThrow(/AUTH_JWT_SECRET/);
  });

  // The app's own config schema is the real contract, so a value it rejects (e.g. POLICY_FILE='') fails here, not at boot.
  it.each(['api-1', 'worker-1'])('%s environment is accepted by config/env.ts', (name) => {
    const parsed = parseEnv({ NODE_ENV: 'production', ...resolvedEnv(service(compose, name)) });
    expect(parsed.HOST).toBe('0.0.0.0');
    expect(parsed.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(parsed.POLICY_FILE).toBeUndefined();
    expect(parsed.WEBHOOK_URL).toBeUndefined();
    expect(() =>
      parseEnv({ NODE_ENV: 'production', ...resolvedEnv(service(compose, name), { AUTH_JWT_SECRET: TEST_SECRET, POLICY_FILE: '/etc/policy.json' }) }),
    ).not.toThrow();
  });

  // Keeps the one-shot registration in step with what the workflows upsert.
  it('registers exactly the search attributes defined in workflows/search-attributes.ts', () => {
    const cliType = (t: string) => ({ KEYWORD_LIST: 'KeywordList', DATETIME: 'Datetime' })[t] ?? t.charAt(0) + t.slice(1).toLowerCase();
    const fromCode = Object.fromEntries(Object.values(SA).map((k) => [k.name, cliType(String(k.type))]));
    const fromCompose = Object.fromEntries(
      String(envOf(service(compose, 'temporal-create-search-attributes')).SEARCH_ATTRIBUTES ?? '')
        .split(',')
        .map((pair) => pair.trim().split(':')),
    );
    expect(fromCompose).toEqual(fromCode);
    expect(fromCompose).toEqual(SEARCH_ATTRIBUTES);
  });

  it('deploy/ shell scripts are syntactically valid', () => {
    for (const script of ['setup-postgres.sh', 'create-namespace.sh', 'create-search-attributes.sh']) {
      const res = spawnSync('sh', ['-n', path.join(ROOT, 'deploy/temporal', script)], { encoding: 'utf8' });
      expect(res.status, `${script}: ${res.stderr}`).toBe(0);
    }
  });

  it('dynamic config parses as YAML', () => {
    const doc = parseDocument(readFileSync(path.join(ROOT, 'deploy/temporal/dynamicconfig/development-sql.yaml'), 'utf8'));
    expect(doc.errors).toEqual([]);
    expect(doc.toJS()).toHaveProperty(['limit.maxIDLength']);
  });

  it('Dockerfile builds the app image the services expect', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    expect(froms.every((f) => f === 'node:20-bookworm-slim')).toBe(true);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^CMD \["npx", "tsx", "api\/main\.ts"\]$/m);
  });

  // The real Compose CLI catches schema errors the structural checks do not model; offline, no engine needed.
  it.skipIf(!composeCli)(
    `is accepted by \`${composeCli?.join(' ') ?? 'docker compose'} config\``,
    async () => {
      const [bin, ...pre] = composeCli!;
      const baseEnv = { ...process.env };
      delete baseEnv.AUTH_JWT_SECRET;
      delete baseEnv.COMPOSE_FILE;
      // An empty env file keeps a developer's .env (which may hold AUTH_JWT_SECRET) from masking the negative case.
      const dir = mkdtempSync(path.join(tmpdir(), 'compose-test-'));
      const envFile = path.join(dir, 'empty.env');
      writeFileSync(envFile, '');
      const args = [...pre, '--env-file', envFile, '-f', COMPOSE_FILE, 'config', '-q'];
      const run = (env: NodeJS.ProcessEnv) =>
        execFileAsync(bin!, args, { cwd: ROOT, env, timeout: 20_000 }).then(
          () => ({ code: 0, stderr: '' }),
          (err: any) => ({ code: typeof err.code === 'number' ? err.code : 1, stderr: String(err.stderr ?? err.message) }),
        );
      const [ok, noSecret] = await Promise.all([run({ ...baseEnv, AUTH_JWT_SECRET: TEST_SECRET }), run(baseEnv)]).finally(() =>
        rmSync(dir, { recursive: true, force: true }),
      );
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(noSecret.code).not.toBe(0);
      expect(noSecret.stderr).toMatch(/AUTH_JWT_SECRET/);
    },
    30_000,
  );
});
