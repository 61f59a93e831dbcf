// One named section of bench/RESULTS.md, replaced in place (or appended), so each bench command keeps the others' figures.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');

/** Sections written by their own commands (Profile by hand); `npm run bench` rewrites everything before the first of them. */
export const OWN_SECTIONS = ['## Profile', '## Worker tuning', '## Sleeping cases', '## Worklist'];

/** Replaces the section that starts with `heading` up to the next `## ` heading, or appends it at the end. */
export function writeResultsSection(heading: string, markdown: string): void {
  const old = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '# Benchmark results\n';
  const start = old.indexOf(`\n${heading}\n`);
  const body = `${markdown.trimEnd()}\n`;
  const next = start < 0 ? -1 : old.indexOf('\n## ', start + 1);
  const before = start < 0 ? old : old.slice(0, start);
  writeFileSync(RESULTS_FILE, `${before.trimEnd()}\n\n${body}${next < 0 ? '' : old.slice(next)}`);
}

/** What `npm run bench` keeps of the file: every own section, from the first one on. */
export function ownSections(): string {
  const old = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '';
  const starts = OWN_SECTIONS.map((h) => old.indexOf(`\n${h}\n`)).filter((i) => i >= 0);
  return starts.length ? old.slice(Math.min(...starts)) : '';
}
