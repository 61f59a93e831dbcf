// Paths of the binaries scripts/install.sh puts in .tools; tests never download anything.
import { existsSync } from 'node:fs';
import { ROOT, TOOLS as ALL } from '../../scripts/lib/tools';

export { ROOT };
export const TOOLS = { temporal: ALL.temporal, testServer: ALL.testServer, ferretdb: ALL.ferretdb };

export function requireTools(tools: Record<string, string> = TOOLS): void {
  const missing = Object.entries(tools).filter(([, p]) => !existsSync(p));
  if (missing.length) {
    throw new Error(`missing ${missing.map(([n]) => n).join(', ')}: run \`npm test\` (or bash scripts/install.sh) to install them`);
  }
}
