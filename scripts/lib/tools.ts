// Paths of what scripts/install.sh puts in .tools/ (nothing is downloaded at run time) and of the data folders.
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
// DATA_DIR gives a throwaway stack (bench, hostile suite) its own folder.
export const DATA = process.env.DATA_DIR || path.join(ROOT, '.data');
export const TOOLS = {
  temporal: path.join(ROOT, '.tools/venv/bin/temporal'),
  testServer: path.join(ROOT, '.tools/venv/bin/temporal-test-server'),
  ferretdb: path.join(ROOT, '.tools/bin/ferretdb'),
  /** The real Temporal server and its SQL tool, built only for the cluster (scripts/install.sh --cluster). */
  temporalServer: path.join(ROOT, '.tools/bin/temporal-server'),
  temporalSqlTool: path.join(ROOT, '.tools/bin/temporal-sql-tool'),
  temporalSchema: path.join(ROOT, '.tools/temporal-schema/postgresql/v12'),
  temporalUi: path.join(ROOT, '.tools/bin/temporal-ui-server'),
};

/** Runs a TypeScript entry point in ONE node process (tsx as a loader, no wrapper) so signals reach the app itself. */
export function nodeTs(entry: string): [string, string[]] {
  // NODE_CPU_PROF_DIR: each process writes a V8 CPU profile there on exit (Node refuses --cpu-prof in NODE_OPTIONS).
  const prof = process.env.NODE_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.NODE_CPU_PROF_DIR}`] : [];
  return [process.execPath, [...prof, '--import', 'tsx', entry]];
}
