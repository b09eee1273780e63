/** Wiring of `authn-pack scan`: options → targets → scan → output and exit code. */
import { DEFAULT_EXCEPTION_PREFIX } from '../rules/core/exceptions';
import { inputNotes } from './check-template';
import { RULES, findRule } from '../rules/index';
import type { FindingsReport } from './findings';
import { FORMATS, render, type Format } from './formats/index';
import { UsageError, writeOutput, type Output } from './io';

export interface ScanCommandOptions {
  readonly region: string[];
  readonly allRegions: boolean;
  readonly profile?: string;
  readonly organization: boolean;
  readonly roleName?: string;
  readonly format: string;
  readonly output?: string;
  readonly failOn?: string;
  readonly control: string[];
  readonly parameter: string[];
  readonly exceptionPrefix: string;
  readonly requireExpiry: boolean;
}

/** Exit codes: 0 done, 1 a failing resource with --fail-on, 2 usage, 3 something could not be read. */
export const EXIT_UNREADABLE = 3;

export function parseFormat(value: string): Format {
  const format = FORMATS.find((candidate) => candidate === value);
  if (format === undefined) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  return format;
}

export function parseParameters(pairs: readonly string[]): Record<string, string> {
  const known = new Set(RULES.flatMap((rule) => Object.keys(rule.parameters)));
  const parameters: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const name = at === -1 ? pair : pair.slice(0, at);
    if (at === -1 || !known.has(name)) {
      throw new UsageError(
        `--parameter takes Name=Value with a rule parameter name (${[...known].join(', ')}); got "${pair}"`,
      );
    }
    parameters[name] = pair.slice(at + 1);
  }
  return parameters;
}

export function checkFailOn(value: string | undefined): void {
  if (value !== undefined && value !== 'NON_COMPLIANT' && value !== 'none') {
    throw new UsageError('--fail-on takes NON_COMPLIANT or none');
  }
}

/** Writes the rendered report to --output or stdout; returns the exit code for it. */
export function emit(
  report: FindingsReport,
  format: Format,
  options: { output?: string; failOn?: string },
  out: Output,
): number {
  const text = render(report, format);
  writeOutput(text, options.output, out);
  if (report.kind === 'template') for (const note of inputNotes(report)) out.stderr(`${note}\n`);
  if (report.unreadable.length > 0) {
    out.stderr(
      report.kind === 'template'
        ? `${report.unreadable.length} file${report.unreadable.length === 1 ? '' : 's'} could not be read: ${report.unreadable.map((item) => item.scope).join(', ')}; the report says why.\n`
        : `${report.unreadable.length} account/region/control scope(s) could not be read; the report says which.\n`,
    );
    return EXIT_UNREADABLE;
  }
  const failing = report.findings.filter((finding) => finding.compliance === 'NON_COMPLIANT').length;
  return options.failOn === 'NON_COMPLIANT' && failing > 0 ? 1 : 0;
}

export async function runScan(options: ScanCommandOptions, out: Output): Promise<number> {
  const format = parseFormat(options.format);
  checkFailOn(options.failOn);
  const parameters = parseParameters(options.parameter);
  const rules =
    options.control.length === 0
      ? RULES
      : options.control.map((name) => {
          const rule = findRule(name);
          if (rule === undefined) throw new UsageError(`unknown control "${name}"`);
          return rule;
        });
  // The SDK clients load here, not with the module: check-template shares this file's helpers and calls no AWS.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { resolveTargets } = require('./targets') as typeof import('./targets');
  const { scanTargets } = require('./scan') as typeof import('./scan');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { targets, unreadable } = await resolveTargets({
    regions: options.region,
    allRegions: options.allRegions,
    organization: options.organization,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.roleName === undefined ? {} : { roleName: options.roleName }),
  });
  const showProgress = process.stderr.isTTY;
  let done = 0;
  const total = targets.length * rules.length;
  const report = await scanTargets(
    targets,
    {
      rules,
      now: new Date(),
      exceptionPrefix: options.exceptionPrefix || DEFAULT_EXCEPTION_PREFIX,
      requireExpiry: options.requireExpiry,
      parameters,
      ...(showProgress
        ? {
            onProgress: (message: string) => {
              done += 1;
              out.stderr(`\r\x1b[Kscanning ${done}/${total}: ${message}`);
            },
          }
        : {}),
    },
    unreadable,
  );
  if (showProgress) out.stderr('\r\x1b[K');
  return emit(report, format, options, out);
}
