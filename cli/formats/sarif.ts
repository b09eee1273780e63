/**
 * SARIF 2.1.0, for code-scanning dashboards: failures as errors, documented exceptions as suppressed results. The
 * `ruleId` is the control; the reason code, when the finding has one, is in the result's `properties.code` (SARIF
 * 2.1.0 §3.8: a property bag holds what the format has no field for).
 */
import { RULES } from '../../rules/index';
import type { Finding, FindingsReport } from '../findings';

function location(finding: Finding): Record<string, unknown> {
  if (finding.file !== undefined) {
    return {
      physicalLocation: {
        artifactLocation: { uri: finding.file.split('\\').join('/') },
        ...(finding.line === undefined ? {} : { region: { startLine: finding.line } }),
      },
      logicalLocations: [{ name: finding.logicalId ?? finding.resourceName, kind: 'resource' }],
    };
  }
  return {
    logicalLocations: [
      { fullyQualifiedName: finding.resourceId, name: finding.resourceName, kind: 'resource' },
    ],
  };
}

export function renderSarif(report: FindingsReport): string {
  const results = report.findings
    .filter((finding) => finding.compliance === 'NON_COMPLIANT' || finding.exception !== null)
    .map((finding) => ({
      ruleId: finding.control,
      level: finding.compliance === 'NON_COMPLIANT' ? 'error' : 'note',
      message: { text: finding.annotation },
      locations: [location(finding)],
      ...(finding.exception === null
        ? {}
        : {
            suppressions: [
              {
                kind: 'external',
                status: 'accepted',
                justification: `${finding.exception.justification}${finding.exception.expires === null ? '' : ` (expires ${finding.exception.expires})`}`,
              },
            ],
          }),
      properties: {
        ...(finding.code === undefined ? {} : { code: finding.code }),
        resourceType: finding.resourceType,
        resourceId: finding.resourceId,
        ...(finding.remediation === null ? {} : { remediation: finding.remediation }),
        ...(finding.accountId === undefined ? {} : { accountId: finding.accountId }),
        ...(finding.region === undefined ? {} : { region: finding.region }),
        internetFacing: finding.internetFacing,
      },
    }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'authn-pack',
            rules: RULES.map((rule) => ({
              id: rule.control,
              name: rule.ruleName,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description },
              defaultConfiguration: { level: 'error' },
            })),
          },
        },
        results,
        invocations: [
          {
            executionSuccessful: report.unreadable.length === 0,
            toolExecutionNotifications: report.unreadable.map((item) => ({
              level: 'error',
              message: { text: `${item.scope}: ${item.error}` },
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
