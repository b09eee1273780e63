/**
 * `npm run demo`: the seed scenario end to end on the sample estate. A local moto_server on 127.0.0.1 is seeded
 * through the SDK, scanned with every control of the registry, then each rule's real Lambda handler runs in dry-run
 * mode on a Config event; the run ends with a dashboard-like table. The emulator is stopped whatever happens.
 */
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { evaluationToJson } from '../rules/core/delivery';
import { createConfigRuleHandler } from '../rules/core/handler';
import { silentLog } from '../rules/core/log';
import type { AnyRule, Compliance } from '../rules/core/types';
import { RULES } from '../rules/index';
import { renderHtml } from '../cli/formats/html/sections';
import { renderTable, textTable } from '../cli/formats/table';
import { scanTargets } from '../cli/scan';
import {
  MOTO_INSTALL_HINT,
  emulatorClientSettings,
  emulatorEnvironment,
  findMotoServer,
  startEmulator,
} from './emulator';
import { sampleOf, seedSampleEstate } from './sample-estate';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const SAMPLES = join(__dirname, '..', 'samples', 'events');

function write(text: string): void {
  process.stdout.write(text);
}

async function runHandler(rule: AnyRule): Promise<Record<Compliance, number>> {
  // The captured event the rule's handler runs on: named by the rule's own sample (rules/<rule>/sample.ts).
  const file = (await sampleOf(rule)).event;
  const event = JSON.parse(readFileSync(join(SAMPLES, file), 'utf8')) as Record<string, unknown>;
  const handler = createConfigRuleHandler(rule, { dryRun: true, log: silentLog });
  const result = await handler({ ...event, configRuleName: rule.ruleName });
  const counts: Record<Compliance, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (const evaluation of result.evaluations) counts[evaluation.ComplianceType] += 1;
  write(`\n$ npx authn-pack invoke ${rule.control} --event samples/events/${file} --dry-run\n`);
  const shown = result.evaluations.slice(0, 3).map(evaluationToJson);
  write(`${JSON.stringify({ evaluations: shown }, null, 2)}\n`);
  if (result.evaluations.length > shown.length)
    write(`  … and ${result.evaluations.length - shown.length} more\n`);
  if (rule.trigger.kind === 'periodic') write('  (dry run: stale cleanup skipped, no Config calls)\n');
  return counts;
}

async function main(): Promise<number> {
  if (findMotoServer() === undefined) {
    process.stderr.write(`${MOTO_INSTALL_HINT}\nThen run npm run demo again.\n`);
    return 1;
  }
  write('Starting the AWS API emulator (moto_server) on 127.0.0.1 …\n');
  const emulator = await startEmulator();
  try {
    // Every SDK client of this process now reaches the emulator through the SDK's standard settings.
    Object.assign(process.env, emulatorEnvironment(emulator.endpoint, REGION));
    write(`Seeding the sample estate at ${emulator.endpoint} …\n`);
    await seedSampleEstate(emulatorClientSettings(emulator.endpoint, REGION));

    write('\n$ npx authn-pack scan --region us-east-1\n\n');
    const report = await scanTargets([{ accountId: ACCOUNT, region: REGION }], {
      now: new Date(),
      exceptionPrefix: 'authn-exception',
      requireExpiry: false,
    });
    write(renderTable(report));

    write('\nEach rule’s Lambda handler on a Config event, as Config would invoke it:\n');
    const rows: string[][] = [
      ['Control', 'Config rule', 'Trigger', 'Non-compliant', 'Compliant', 'Not applicable'],
    ];
    for (const rule of RULES) {
      const counts = await runHandler(rule);
      rows.push([
        rule.control,
        rule.ruleName,
        rule.trigger.kind === 'periodic'
          ? `periodic (${rule.trigger.defaultFrequency})`
          : 'configuration change',
        String(counts.NON_COMPLIANT),
        String(counts.COMPLIANT),
        String(counts.NOT_APPLICABLE),
      ]);
    }
    write('\nDashboard (as the Config console would show these rules):\n\n');
    write(`${textTable(rows).replace(/^/gm, '  ')}\n`);
    // The same scan as a page to forward: `npx authn-pack scan --format html --output <file>`.
    const htmlReport = join(mkdtempSync(join(tmpdir(), 'authn-pack-demo-')), 'report.html');
    writeFileSync(htmlReport, renderHtml(report));
    write(`\nHTML report of the scan (open it in a browser): ${htmlReport}\n`);
    write(
      '\nNext: fix each failing resource with the command printed under it, or document an exception tag.\n',
    );
    return report.unreadable.length === 0 ? 0 : 3;
  } finally {
    await emulator.stop();
    write('Emulator stopped.\n');
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
