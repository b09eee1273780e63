/** CSV of the findings (scan, check-template): one row per finding, dangling tag and unreadable scope. */
import { expect } from 'chai';
import type { FindingsReport } from '../../../cli/findings';
import { FINDINGS_CSV_COLUMNS, renderFindingsCsv } from '../../../cli/formats/csv';
import { renderJson } from '../../../cli/formats/json';

const ACCOUNT = '111122223333';

const REPORT: FindingsReport = {
  kind: 'scan',
  generatedAt: '2026-10-02T08:41:17.512Z',
  findings: [
    {
      control: 'AppSync.5',
      ruleName: 'authn-appsync-no-api-key',
      resourceType: 'AWS::AppSync::GraphQLApi',
      resourceId: `arn:aws:appsync:us-east-1:${ACCOUNT}:apis/k3l4m5n6o7p8q9`,
      resourceName: 'orders-graphql',
      compliance: 'NON_COMPLIANT',
      code: 'appsync-api-key-additional',
      annotation: 'GraphQL API "orders-graphql" accepts API keys beside AWS_IAM, "quoted", with commas.',
      exception: null,
      remediation: 'aws appsync update-graphql-api --api-id k3l4m5n6o7p8q9 --region us-east-1',
      internetFacing: false,
      region: 'us-east-1',
      accountId: ACCOUNT,
    },
    {
      control: 'DMS.11',
      ruleName: 'authn-dms-mongodb-authentication',
      resourceType: 'AWS::DMS::Endpoint',
      resourceId: `arn:aws:dms:us-east-1:${ACCOUNT}:endpoint:LEGACYMONGO1`,
      resourceName: '=legacy-mongo-archive',
      compliance: 'COMPLIANT',
      annotation: 'Exception: read-only archive inside an isolated VPC (expires 2027-03-31)',
      exception: {
        justification: 'read-only archive inside an isolated VPC',
        expires: '2027-03-31',
        tagKey: 'authn-exception/DMS.11',
        wide: false,
      },
      remediation: null,
      internetFacing: false,
      region: 'us-east-1',
      accountId: ACCOUNT,
    },
  ],
  dangling: [
    {
      resourceId: 'a1b2c3',
      resourceName: 'partner-api',
      tagKey: 'authn-exception/APIGateway.8/GET /helth',
      reason: 'no route with id or key "GET /helth" on this API',
      region: 'us-east-1',
      accountId: ACCOUNT,
    },
  ],
  unreadable: [
    {
      scope: `MSK.6 in account ${ACCOUNT}, us-east-1`,
      control: 'MSK.6',
      error: 'AccessDeniedException: not authorized to perform: kafka:ListClustersV2',
      accountId: ACCOUNT,
      region: 'us-east-1',
    },
  ],
};

describe('cli/formats/csv findings', () => {
  it('writes a header and one row per finding, dangling tag and unreadable scope, CRLF-separated', () => {
    // Act
    const lines = renderFindingsCsv(REPORT).split('\r\n');
    // Assess
    expect(lines[0]).to.equal(FINDINGS_CSV_COLUMNS.join(','));
    expect(lines.slice(1, -1).map((line) => line.split(',')[0])).to.deep.equal([
      'finding',
      'finding',
      'dangling-tag',
      'unreadable',
    ]);
    expect(lines.at(-1)).to.equal('');
  });

  it('carries the reason code, the exception fields and escapes quotes, commas and formula starts', () => {
    // Act
    const csv = renderFindingsCsv(REPORT);
    // Assess
    expect(csv).to.include(
      `finding,AppSync.5,NON_COMPLIANT,appsync-api-key-additional,AWS::AppSync::GraphQLApi,`,
    );
    expect(csv).to.include(
      '"GraphQL API ""orders-graphql"" accepts API keys beside AWS_IAM, ""quoted"", with commas."',
    );
    expect(csv).to.include(`,'=legacy-mongo-archive,${ACCOUNT},us-east-1,,,,false,`);
    expect(csv).to.include(',read-only archive inside an isolated VPC,2027-03-31,authn-exception/DMS.11,');
    expect(csv).to.include(
      `dangling-tag,,,,,a1b2c3,partner-api,${ACCOUNT},us-east-1,,,,,,,,,authn-exception/APIGateway.8/GET /helth,"no route with id or key ""GET /helth"" on this API"`,
    );
  });

  it('shows the reason code in the JSON findings when the finding has one', () => {
    // Act
    const json = JSON.parse(renderJson(REPORT)) as { findings: { code?: string }[] };
    // Assess
    expect(json.findings.map((finding) => finding.code)).to.deep.equal([
      'appsync-api-key-additional',
      undefined,
    ]);
  });
});
