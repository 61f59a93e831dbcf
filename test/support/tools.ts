// Paths of the binaries scripts/install.sh puts in .tools; tests never download anything.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const TOOLS = {
  temporal: path.join(ROOT, '.tools/venv/bin/temporal'),
  testServer: path.join(ROOT, '.tools/venv/bin/temporal-test-server'),
  ferretdb: path.join(ROOT, '.tools/bin/ferretdb'),
};

export function requireTools(): void {
  const missing = Object.entries(TOOLS).filter(([, p]) => !existsSync(p));
  if (missing.length) {
    throw new Error(`missing ${missing.map(([n]) => n).join(', ')}: run \`npm test\` (or bash scripts/install.sh) to install them`);
  }
}
