/** The `authn-pack` command. Each subcommand is a consumer of the registry in rules/index.ts. */
import { Command, CommanderError } from 'commander';
import { EXIT, PackError, describeError } from '../rules/core/errors';
import { processOutput, type Output } from './io';
import type { QueryCommandOptions } from './query-command';
import type { ReportCommandOptions } from './report-command';
import type { ScanCommandOptions } from './scan-command';

// Each command's code loads when it runs: `--help` needs none of it, and `check-template` no AWS SDK client
// (loading them all took most of a start; see BENCHMARKS.md, "CLI start").
/* eslint-disable @typescript-eslint/no-require-imports */
const load = {
  invoke: () => require('./invoke') as typeof import('./invoke'),
  checkTemplate: () => require('./check-template') as typeof import('./check-template'),
  query: () => require('./query-command') as typeof import('./query-command'),
  report: () => require('./report-command') as typeof import('./report-command'),
  scan: () => require('./scan-command') as typeof import('./scan-command'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export function buildProgram(output: Output, setExit: (code: number) => void): Command {
  const program = new Command('authn-pack')
    .description(
      'Require authentication on API Gateway v2, AppSync, MSK, ElastiCache and DMS: Config rules and checks',
    )
    .exitOverride()
    .configureOutput({ writeOut: output.stdout, writeErr: output.stderr });

  program
    .command('invoke')
    .description(
      "run a rule's Lambda handler on a captured Config event, or the deploy-time hook's on a hook request",
    )
    .argument('<control>', 'control id, Config rule name or rule folder (the README lists them); or hook')
    .requiredOption('--event <file>', 'the Config event (or hook request) as JSON, or - for standard input')
    .option('--dry-run', 'make no Config calls; print the evaluations instead of sending them', false)
    .option(
      '--region <region>',
      'region for AWS calls (default: the rule ARN in the event, then the SDK configuration)',
    )
    .action(async (control: string, options: { event: string; dryRun: boolean; region?: string }) => {
      setExit(await load.invoke().invoke(control, options, output));
    });

  const collect = (value: string, previous: string[]): string[] => [...previous, value];
  program
    .command('scan')
    .description('evaluate a live account (or organization) with every control through the service APIs')
    .option('--region <region>', 'region to scan (repeatable; default: the SDK configuration)', collect, [])
    .option('--all-regions', 'scan every region enabled for the account', false)
    .option('--profile <name>', 'AWS profile to use')
    .option('--organization', 'scan every active account of the organization', false)
    .option('--role-name <name>', 'with --organization: the role to assume in each account')
    .option('--control <id>', 'only this control (repeatable)', collect, [])
    .option('--parameter <Name=Value>', 'a rule parameter, as in the Config rules (repeatable)', collect, [])
    .option('--exception-prefix <prefix>', 'prefix of the exception tags', 'authn-exception')
    .option('--require-expiry', 'honour only exceptions that carry an expiry tag', false)
    .option('--format <format>', 'table | json | csv | sarif | html', 'table')
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option('--fail-on <compliance>', 'exit 1 when any resource is NON_COMPLIANT')
    .action(async (options: ScanCommandOptions) => {
      setExit(await load.scan().runScan(options, output));
    });

  program
    .command('check-template')
    .description(
      'evaluate CloudFormation and SAM templates (JSON/YAML) and CDK cdk.out folders before deploy',
    )
    .argument('<paths...>', 'template files or folders (a cdk.out folder: every *.template.json)')
    .option('--parameter <Name=Value>', 'a rule parameter, as in the Config rules (repeatable)', collect, [])
    .option('--exception-prefix <prefix>', 'prefix of the exception tags', 'authn-exception')
    .option('--require-expiry', 'honour only exceptions that carry an expiry tag', false)
    .option('--format <format>', 'table | json | csv | sarif | html', 'table')
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option(
      '--s3-file <s3://bucket/key=path>',
      'read this local file where a template names the S3 object (BodyS3Location, AWS::Include, SAM DefinitionUri; repeatable)',
      collect,
      [],
    )
    .option(
      '--fail-on <compliance>',
      'NON_COMPLIANT (default): exit 1 when any resource fails; none: exit 0 even then (a file that cannot be read still exits 3)',
      'NON_COMPLIANT',
    )
    .action(
      (
        paths: string[],
        options: {
          parameter: string[];
          exceptionPrefix: string;
          requireExpiry: boolean;
          format: string;
          output?: string;
          failOn: string;
          s3File: string[];
        },
      ) => {
        const { checkFailOn, emit, parseFormat, parseParameters } = load.scan();
        const { checkTemplates, parseS3Files } = load.checkTemplate();
        const format = parseFormat(options.format);
        checkFailOn(options.failOn);
        const report = checkTemplates(paths, {
          now: new Date(),
          exceptionPrefix: options.exceptionPrefix,
          requireExpiry: options.requireExpiry,
          parameters: parseParameters(options.parameter),
          s3Files: parseS3Files(options.s3File),
        });
        setExit(emit(report, format, options, output));
      },
    );

  program
    .command('query')
    .description(
      'run one of the advanced queries in queries/ through a Config aggregator (or this account and Region)',
    )
    .argument('[name]', 'the query: a file name in queries/ without .sql (see --list)')
    .option('--list', 'list the queries with what each answers', false)
    .option(
      '--aggregator <name>',
      'run across the accounts and Regions of this Config aggregator (SelectAggregateResourceConfig)',
    )
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--region <region>', "Region of the Config API to call (the aggregator's Region)")
    .option('--profile <name>', 'AWS profile to use')
    .option('--output <file>', 'write the result to a file instead of standard output')
    .action(async (name: string | undefined, options: QueryCommandOptions) => {
      setExit(await load.query().runQueryCommand(name, options, output));
    });

  program
    .command('report')
    .description(
      "the pack's results across an organization: failing resources, exceptions, missing or silent rules",
    )
    .option('--aggregator <name>', 'the Config aggregator that collects the organization (required)')
    .option('--expiring-within <days>', 'list exceptions that expire within this many days', '30')
    .option('--format <format>', 'table | json | csv | html', 'table')
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option('--region <region>', "Region of the Config API to call (the aggregator's Region)")
    .option('--profile <name>', 'AWS profile to use')
    .action(async (options: ReportCommandOptions) => {
      setExit(await load.report().runReport(options, output));
    });

  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  let code = 0;
  const program = buildProgram(output, (value) => {
    code = value;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.done : EXIT.usage;
    // The pack's own errors carry their exit status and a message written for the user; anything else is a bug
    // or an SDK failure, named with its class.
    if (error instanceof PackError) {
      output.stderr(`error: ${error.message}\n`);
      return error.exitStatus;
    }
    output.stderr(`error: ${describeError(error)}\n`);
    return EXIT.failing;
  }
}
