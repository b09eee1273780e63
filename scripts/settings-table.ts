/**
 * Writes the README's deploy settings table from `SETTING_SPECS` (deploy/settings.ts), formatted by prettier.
 * `--check` exits 1 when the README's table differs (test/deploy/settings.test.ts makes the same comparison).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { settingsTableRows } from '../deploy/settings';

const README = join(__dirname, '..', 'README.md');
const HEADER = /^\| setting\s+\| default\s+\| meaning\s+\|$/;

/** The lines of the settings table: from its header to the last row. */
export function tableSpan(lines: readonly string[]): { start: number; end: number } {
  const start = lines.findIndex((line) => HEADER.test(line));
  if (start < 0)
    throw new Error('README.md has no settings table (a "| setting | default | meaning |" header)');
  let end = start;
  while (lines[end + 1]?.startsWith('|') === true) end += 1;
  return { start, end };
}

/** Cells of each row after the header and separator, trimmed. */
export function tableCells(markdown: string): string[][] {
  const lines = markdown.split('\n');
  const { start, end } = tableSpan(lines);
  return lines.slice(start + 2, end + 1).map((line) =>
    line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  );
}

async function rendered(markdown: string): Promise<string> {
  const lines = markdown.split('\n');
  const { start, end } = tableSpan(lines);
  const table = [
    '| setting | default | meaning |',
    '| --- | --- | --- |',
    ...settingsTableRows().map((cells) => `| ${cells.join(' | ')} |`),
  ];
  const next = [...lines.slice(0, start), ...table, ...lines.slice(end + 1)].join('\n');
  const options = (await prettier.resolveConfig(README)) ?? {};
  return prettier.format(next, { ...options, filepath: README });
}

async function main(argv: readonly string[]): Promise<number> {
  const current = readFileSync(README, 'utf8');
  const wanted = await rendered(current);
  if (argv.includes('--check')) {
    if (wanted === current) return 0;
    process.stderr.write('README.md settings table is stale: run npx tsx scripts/settings-table.ts\n');
    return 1;
  }
  writeFileSync(README, wanted);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
