/**
 * The sample estate of the demo and the integration tests: the sample resources of every registered control, each
 * from its folder's sample.ts (rules/<rule>/sample.ts), created through the real SDK clients against the emulator.
 */
import { join } from 'node:path';
import type { RuleSample, SampleClientSettings } from '../rules/core/sample';
import type { AnyRule } from '../rules/core/types';
import { RULES, ruleFolder } from '../rules/index';

export type { SampleClientSettings } from '../rules/core/sample';

/** The sample of a control, found by its folder; a folder without one fails here, not in silence. */
export async function sampleOf(rule: AnyRule): Promise<RuleSample> {
  const file = join(__dirname, '..', 'rules', ruleFolder(rule), 'sample');
  const loaded = (await import(file)) as { sample?: Partial<RuleSample> };
  const sample = loaded.sample;
  if (typeof sample?.event !== 'string' || typeof sample.seed !== 'function') {
    throw new Error(`rules/${ruleFolder(rule)}/sample.ts must export a sample: { event, seed }`);
  }
  return sample as RuleSample;
}

/** The whole seed scenario: every control's sample resources, in registry order. */
export async function seedSampleEstate(
  settings: SampleClientSettings,
  today = new Date(),
  rules: readonly AnyRule[] = RULES,
): Promise<void> {
  for (const rule of rules) await (await sampleOf(rule)).seed(settings, today);
}
