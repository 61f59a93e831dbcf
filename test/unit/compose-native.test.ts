// docker-compose.yml and `npm run cluster` describe one topology: same parts, versions, env names and ports.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { CLUSTER_PARTS, defaultPorts, HISTORY_SHARDS, NAMESPACE } from '../../scripts/lib/cluster';
import { PG_USER } from '../../scripts/lib/postgres';
import { ROOT } from '../../scripts/lib/tools';
import { nodeEnv, sqlToolEnv } from '../../scripts/lib/temporal-server';

type Service = { image?: string; environment?: Record<string, unknown>; ports?: string[] };
const compose = parseDocument(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }).toJS() as { services: Record<string, Service> };
const services = compose.services;
const versions = Object.fromEntries(
  readFileSync(path.join(ROOT, 'deploy/versions.env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => l.split('=') as [string, string]),
);
/** The tag an image gets with no variable set: `${VAR:-default}` resolved to its default. */
const tagOf = (image = '') =>
  image
    .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
    .split(':')
    .pop();
const envKeys = (name: string) => Object.keys(services[name]?.environment ?? {}).sort();
const published = (name: string) => (services[name]?.ports ?? []).map((p) => Number(String(p).split(':')[0]));

describe('docker-compose.yml and npm run cluster agree', () => {
  it('pin the same versions (deploy/versions.env), also in the Go tool modules and the install step', () => {
    expect(tagOf(services.postgresql?.image)).toBe(versions.POSTGRESQL_VERSION);
    for (const name of [...CLUSTER_PARTS.nodes, 'temporal-schema', 'temporal-create-namespace', 'temporal-create-search-attributes']) {
      expect(tagOf(services[name]?.image), name).toBe(versions.TEMPORAL_SERVER_VERSION);
    }
    expect(tagOf(services['temporal-ui']?.image)).toBe(versions.TEMPORAL_UI_VERSION);
    expect(tagOf(services.ferretdb?.image)).toBe(versions.FERRETDB_VERSION);
    expect(readFileSync(path.join(ROOT, 'tools/ferretdb/go.mod'), 'utf8')).toContain(`github.com/FerretDB/FerretDB v${versions.FERRETDB_VERSION}\n`);
    expect(readFileSync(path.join(ROOT, 'tools/temporal-ui/go.mod'), 'utf8')).toContain(
      `github.com/temporalio/ui-server/v2 v${versions.TEMPORAL_UI_VERSION}\n`,
    );
    expect(readFileSync(path.join(ROOT, 'scripts/install.sh'), 'utf8')).toMatch(/source deploy\/versions\.env/);
  });

  it('run the same parts under the same names', () => {
    for (const part of [...CLUSTER_PARTS.nodes, ...CLUSTER_PARTS.workers, ...CLUSTER_PARTS.apis, 'postgresql', 'temporal-schema', 'temporal-ui', 'ferretdb']) {
      expect(services, part).toHaveProperty([part]);
    }
  });

  it('configure the Temporal server and temporal-sql-tool by the same environment names and values', () => {
    const native = nodeEnv(defaultPorts().nodes[0], { port: 5432, user: PG_USER, password: 'x' }, HISTORY_SHARDS);
    for (const node of CLUSTER_PARTS.nodes) {
      const env = services[node]!.environment!;
      // Every name compose sets is one the native node sets too (compose leaves ports and broadcast to the image).
      expect(
        envKeys(node).filter((k) => !(k in native) && k !== 'DYNAMIC_CONFIG_FILE_PATH'),
        node,
      ).toEqual([]);
      for (const k of ['DB', 'DBNAME', 'VISIBILITY_DBNAME', 'NUM_HISTORY_SHARDS', 'POSTGRES_USER', 'FRONTEND_GRPC_PORT'] as const) {
        expect(String(env[k]), `${node} ${k}`).toBe(k === 'FRONTEND_GRPC_PORT' ? '7233' : native[k]);
      }
    }
    expect(envKeys('temporal-schema')).toEqual(Object.keys(sqlToolEnv({ port: 5432, user: PG_USER, password: 'x' })).sort());
    expect(services['temporal-schema']!.environment!.SQL_USER).toBe(PG_USER);
  });

  it('give workers and APIs the same environment names, namespace and published ports', () => {
    const native = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'MONGODB_URI', 'AUTH_JWT_SECRET'];
    for (const app of [...CLUSTER_PARTS.workers, ...CLUSTER_PARTS.apis]) {
      expect(envKeys(app), app).toEqual(expect.arrayContaining(native));
      expect(services[app]!.environment!.TEMPORAL_NAMESPACE).toBe(NAMESPACE);
    }
    const ports = defaultPorts();
    expect(published('api-1')).toEqual([ports.apis[0]]);
    expect(published('api-2')).toEqual([ports.apis[1]]);
    expect(published('temporal-ui')).toEqual([ports.ui]);
    expect(published('temporal-1')).toEqual([ports.frontend]);
  });
});
