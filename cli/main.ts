/** The `authn-pack` command. Each subcommand is a consumer of the registry in rules/index.ts. */
import { Command, CommanderError } from 'commander';
import { describeError } from '../rules/core/errors';
import { invoke } from './invoke';
import { processOutput, type Output } from './io';

export function buildProgram(output: Output, setExit: (code: number) => void): Command {
  const program = new Command('authn-pack')
    .description('Require authentication on API Gateway v2, AppSync, MSK, ElastiCache and DMS: Config rules and checks')
    .exitOverride()
    .configureOutput({ writeOut: output.stdout, writeErr: output.stderr });

  program
    .command('invoke')
    .description("run a rule's Lambda handler on a captured Config event")
    .argument('<control>', 'control id (MSK.6), Config rule name or rule folder')
    .requiredOption('--event <file>', 'the Config event as JSON, or - for standard input')
    .option('--dry-run', 'make no Config calls; print the evaluations instead of sending them', false)
    .option('--region <region>', 'region for AWS calls (default: the rule ARN in the event, then the SDK configuration)')
    .action(async (control: string, options: { event: string; dryRun: boolean; region?: string }) => {
      setExit(await invoke(control, options, output));
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
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    output.stderr(`error: ${describeError(error).replace(/^(UsageError|MalformedEventError|ParameterError): /, '')}\n`);
    return 1;
  }
}
