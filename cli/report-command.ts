/** Wiring of `authn-pack report`: options → aggregator reads → output and exit code. */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { RetryPolicy } from '../rules/core/retry';
import { UsageError, writeOutput, type Output } from './io';
import { configClient } from './query-command';
import { REPORT_FORMATS, renderReport, type ReportFormat } from './formats/index';
import { buildAggregateReport } from './report/build';
import { EXIT_UNREADABLE } from './scan-command';

export interface ReportCommandOptions {
  readonly aggregator?: string;
  readonly expiringWithin: string;
  readonly format: string;
  readonly output?: string;
  readonly region?: string;
  readonly profile?: string;
}

export interface ReportCommandDependencies {
  readonly client?: ConfigServiceClient;
  readonly retry?: RetryPolicy;
  readonly now?: Date;
}

export function parseReportFormat(value: string): ReportFormat {
  const format = REPORT_FORMATS.find((candidate) => candidate === value);
  if (format === undefined) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
  return format;
}

export function parseDays(value: string): number {
  if (!/^\d{1,5}$/.test(value.trim()))
    throw new UsageError(`--expiring-within takes a whole number of days; got "${value}"`);
  return Number(value.trim());
}

/** Exit codes: 0 done, 2 usage, 3 some account, Region or rule could not be read (the report says which). */
export async function runReport(
  options: ReportCommandOptions,
  out: Output,
  dependencies: ReportCommandDependencies = {},
): Promise<number> {
  const format = parseReportFormat(options.format);
  const expiringWithinDays = parseDays(options.expiringWithin);
  if (options.aggregator === undefined || options.aggregator.trim() === '') {
    throw new UsageError(
      '--aggregator NAME is required: the Config aggregator that collects the organization',
    );
  }
  const report = await buildAggregateReport(
    { aggregator: options.aggregator, expiringWithinDays, now: dependencies.now ?? new Date() },
    {
      client: dependencies.client ?? configClient(options.region, options.profile),
      ...(dependencies.retry === undefined ? {} : { retry: dependencies.retry }),
    },
  );
  const text = renderReport(report, format);
  writeOutput(text, options.output, out);
  if (report.unreadable.length > 0) {
    out.stderr(
      `${report.unreadable.length} account/Region/rule scope(s) could not be read; the report says which.\n`,
    );
    return EXIT_UNREADABLE;
  }
  return 0;
}
