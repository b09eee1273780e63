/**
 * The pre-deploy gate at synth time: a plugin of aws-cdk-lib's policy validation, the way cdk-nag v3 plugs in.
 *
 *   Validations.of(app).addPlugins(new AuthnPackValidation());
 *   // or: new App({ policyValidationBeta1: [new AuthnPackValidation()] })
 *
 * Each synthesized template goes through the same code as `authn-pack check-template` (the rules' template adapters,
 * their decisions and the exception tags), so a stack that synthesizes clean passes the CLI gate too. CDK prints the
 * violations in its validation report and fails the synth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  NestedStack,
  type IPolicyValidationContextBeta1,
  type IPolicyValidationPlugin,
  type IPolicyValidationPluginBeta1,
  type PolicyValidationPluginReportBeta1,
  type PolicyViolatingResourceBeta1,
  type PolicyViolationBeta1,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { version as PACKAGE_VERSION } from '../package.json';
import { DEFAULT_EXCEPTION_PREFIX } from '../rules/core/exceptions';
import { parseParameters } from '../rules/core/parameters';
import { parseTemplate } from '../rules/core/template';
import type { AnyRule } from '../rules/core/types';
import { RULES, findRule } from '../rules/index';
import { evaluateTemplate, templateView, whereToFix } from './check-template';
import type { Finding } from './findings';

export interface AuthnPackValidationOptions {
  /** Prefix of the exception tags (the rules' `ExceptionTagPrefix`). Default `authn-exception`. */
  readonly exceptionPrefix?: string;
  /** Honour only exceptions that carry an expiry tag (the rules' `ExceptionRequiresExpiry`). Default false. */
  readonly requireExpiry?: boolean;
  /** Rule parameters by name, as in the Config rules (e.g. `{ RequireAuthOnAllVersions: 'true' }`). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Only these controls (control id, Config rule name or folder, as `check-template --control` takes). Default: all. */
  readonly controls?: readonly string[];
  /** The clock exception expiry is judged against. Default: the time of the synth. */
  readonly now?: () => Date;
}

// eslint-disable-next-line @typescript-eslint/no-deprecated -- Beta1 shapes (required logical id and template path) fit both App.policyValidationBeta1 and Validations.addPlugins
export class AuthnPackValidation implements IPolicyValidationPluginBeta1, IPolicyValidationPlugin {
  readonly name = 'authn-pack';
  readonly version: string = PACKAGE_VERSION;
  readonly ruleIds: string[];
  private readonly rules: readonly AnyRule[];
  private readonly exceptionPrefix: string;
  private readonly requireExpiry: boolean;
  private readonly parameters: Readonly<Record<string, string>>;
  private readonly now: () => Date;

  /** Throws at construction, not at synth, for an unknown control or a bad parameter. */
  constructor(options: AuthnPackValidationOptions = {}) {
    this.rules =
      options.controls === undefined
        ? RULES
        : options.controls.map((name) => {
            const rule = findRule(name);
            if (rule === undefined) {
              throw new Error(
                `authn-pack: unknown control "${name}"; one of ${RULES.map((r) => r.control).join(', ')}`,
              );
            }
            return rule;
          });
    this.ruleIds = this.rules.map((rule) => rule.control);
    this.exceptionPrefix = options.exceptionPrefix ?? DEFAULT_EXCEPTION_PREFIX;
    this.requireExpiry = options.requireExpiry ?? false;
    this.parameters = { ...options.parameters };
    this.now = options.now ?? (() => new Date());
    const known = new Set(RULES.flatMap((rule) => Object.keys(rule.parameters)));
    for (const name of Object.keys(this.parameters)) {
      if (!known.has(name))
        throw new Error(`authn-pack: unknown rule parameter "${name}"; one of ${[...known].join(', ')}`);
    }
    for (const rule of this.rules) {
      const mine = Object.fromEntries(
        Object.entries(this.parameters).filter(([name]) => name in rule.parameters),
      );
      parseParameters(rule.parameters, mine);
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see the class
  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const failing: { finding: Finding; property: string | null; templatePath: string }[] = [];
    const exceptions: Record<string, string> = {};
    const now = this.now();
    for (const templatePath of templatesOf(context)) {
      // A template CDK wrote that cannot be read is a plugin failure: aws-cdk-lib reports the error and fails.
      const view = templateView(parseTemplate(readFileSync(templatePath, 'utf8'), templatePath));
      const { results } = evaluateTemplate(view, templatePath, {
        rules: this.rules,
        now,
        exceptionPrefix: this.exceptionPrefix,
        requireExpiry: this.requireExpiry,
        parameters: this.parameters,
      });
      for (const { finding, property } of results) {
        if (finding.compliance === 'NON_COMPLIANT') failing.push({ finding, property, templatePath });
        if (finding.exception !== null)
          exceptions[`${finding.control} ${resourceKey(templatePath, finding)}`] = finding.annotation;
      }
    }
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- see the class
    const violations: PolicyViolationBeta1[] = [];
    for (const rule of this.rules) {
      const mine = failing.filter(({ finding }) => finding.control === rule.control);
      if (mine.length === 0) continue;
      violations.push({
        ruleName: rule.control,
        description: rule.title,
        fix: fixOf(mine),
        severity: 'error',
        violatingResources: mine.map(({ finding, property, templatePath }) =>
          violatingResource(finding, property, templatePath),
        ),
        ruleMetadata: Object.fromEntries(
          mine.map(({ finding, templatePath }) => [resourceKey(templatePath, finding), finding.annotation]),
        ),
      });
    }
    return {
      success: violations.length === 0,
      violations,
      pluginVersion: this.version,
      ...(Object.keys(exceptions).length === 0 ? {} : { metadata: exceptions }),
    };
  }
}

/**
 * The templates to check: those aws-cdk-lib names, and the nested stack templates beside them, which it does not name
 * (their resources would otherwise pass unchecked). Nested stacks are found in the construct tree, so a stale
 * `*.nested.template.json` left in the output folder by an earlier synth is not read.
 */
function templatesOf(context: {
  readonly templatePaths: readonly string[];
  readonly appConstruct?: IConstruct;
}): string[] {
  const paths = [...context.templatePaths];
  const nestedFiles = (context.appConstruct?.node.findAll() ?? [])
    .filter((construct) => NestedStack.isNestedStack(construct))
    .map((nested) => nested.templateFile);
  for (const folder of new Set(context.templatePaths.map((path) => dirname(path)))) {
    for (const file of nestedFiles) {
      const path = join(folder, file);
      if (!paths.includes(path) && existsSync(path)) paths.push(path);
    }
  }
  return paths;
}

/** `Stack/LogicalId`, to tell resources of several stacks apart in the report's metadata. */
function resourceKey(templatePath: string, finding: Finding): string {
  return `${basename(templatePath).replace(/\.template\.json$/, '')}/${finding.resourceId}`;
}

function violatingResource(
  finding: Finding,
  property: string | null,
  templatePath: string,
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see the class
): PolicyViolatingResourceBeta1 {
  return {
    resourceLogicalId: finding.logicalId ?? finding.resourceId,
    templatePath,
    locations: [locationOf(finding, property)],
  };
}

/**
 * The property a finding is about, as `Properties.X.0.Y` (the form aws-cdk-lib's own validation writes and matches
 * property-assignment traces against); the logical id when it is about the resource as a whole.
 */
export function locationOf(finding: Finding, property: string | null): string {
  if (property === null) return finding.logicalId ?? finding.resourceId;
  return `Properties.${property.replace(/\[(\d+)\]/g, '.$1')}`;
}

/** The template fix; when resources need different fixes, one line per resource. */
function fixOf(failing: readonly { finding: Finding; templatePath: string }[]): string {
  const fixes = failing.map(({ finding, templatePath }) => {
    const remediation = finding.remediation ?? '';
    const prefix = whereToFix(finding.logicalId ?? finding.resourceId, templatePath);
    return {
      id: finding.logicalId ?? finding.resourceId,
      fix: remediation.startsWith(prefix) ? remediation.slice(prefix.length) : remediation,
    };
  });
  const distinct = new Set(fixes.map(({ fix }) => fix));
  if (distinct.size === 1) return [...distinct][0] ?? '';
  return fixes.map(({ id, fix }) => `${id}: ${fix}`).join('\n');
}
