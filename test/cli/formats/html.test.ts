/** The HTML report (`--format html`): the page as a string, and the page as headless Chromium renders it. */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, FindingsReport } from '../../../cli/findings';
import { rankFindings } from '../../../cli/findings';
import { commandMarkup } from '../../../cli/formats/html/cells';
import { segmentWidths } from '../../../cli/formats/html/chart';
import { escapeHtml, markup, SafeHtml } from '../../../cli/formats/html/safe';
import { renderHtml } from '../../../cli/formats/html/sections';
import { exceptionExpiry } from '../../../rules/core/exceptions';
import { RULES } from '../../../rules/index';
import { renderPage, shippedChromium, type Rendered } from '../../helpers/browser';

// ---------------------------------------------------------------------------------------------------------------
// Fixture: a realistic two-account scan

const PARTNER = '111122223333';
const DATA = '444455556666';
const MALICIOUS_API = `<img src=https://evil.example/p.png onerror="alert('x')">`;
const MALICIOUS_NAME = `${MALICIOUS_API} GET /a&b`;

const routeArn = (api: string, route: string): string =>
  `arn:aws:apigateway:us-east-1::/apis/${api}/routes/${route}`;
const routeFix = (api: string, route: string): string =>
  `aws apigatewayv2 --region us-east-1 update-route --api-id ${api} --route-id ${route} --authorization-type JWT --authorizer-id <authorizer-id>` +
  ` && aws apigatewayv2 --region us-east-1 create-deployment --api-id ${api} --stage-name <stage>  # only for stages without auto-deploy`;

function route(routeId: string, routeKey: string, overrides: Partial<Finding> = {}): Finding {
  return {
    control: 'APIGateway.8',
    ruleName: 'authn-apigwv2-route-authorization',
    resourceType: 'AWS::ApiGatewayV2::Route',
    resourceId: routeArn('a1b2c3', routeId),
    resourceName: `partner-api ${routeKey}`,
    compliance: 'NON_COMPLIANT',
    annotation: `HTTP API "partner-api" (a1b2c3) route "${routeKey}" has no authorization (NONE): anyone can call it. Attach a JWT authorizer, or document an exception tag.`,
    exception: null,
    remediation: routeFix('a1b2c3', routeId),
    internetFacing: true,
    region: 'us-east-1',
    accountId: PARTNER,
    ...overrides,
  };
}

const FINDINGS: Finding[] = [
  // An internal API (execute-api endpoint off) whose name is hostile markup: failing, but ranked after the open ones.
  route('m9', 'GET /a&b', {
    resourceId: routeArn('z9y8x7', 'm9'),
    resourceName: MALICIOUS_NAME,
    annotation: `HTTP API "${MALICIOUS_API}" (z9y8x7) route "GET /a&b" has no authorization (NONE): anyone can call it.`,
    remediation: routeFix('z9y8x7', 'm9'),
    internetFacing: false,
  }),
  route('r1', 'POST /orders'),
  route('r2', 'GET /partners/{id}', { remediation: routeFix('a1b2c3', 'r2') }),
  route('r3', 'GET /health', {
    compliance: 'COMPLIANT',
    annotation:
      'Exception: load-balancer health probe, returns no data; owner platform-team (expires 2026-10-20)',
    exception: {
      justification: 'load-balancer health probe, returns no data; owner platform-team <sec-1234>',
      expires: '2026-10-20',
      tagKey: 'authn-exception/APIGateway.8/GET /health',
      wide: false,
    },
    remediation: null,
  }),
  route('r4', 'GET /admin', {
    compliance: 'COMPLIANT',
    annotation: 'HTTP API "partner-api" (a1b2c3) route "GET /admin" requires JWT authorization.',
    remediation: null,
  }),
  {
    control: 'AppSync.5',
    ruleName: 'authn-appsync-no-api-key',
    resourceType: 'AWS::AppSync::GraphQLApi',
    resourceId: 'arn:aws:appsync:us-east-1:111122223333:apis/k3l4m5n6o7p8q9',
    resourceName: 'orders-graphql',
    compliance: 'NON_COMPLIANT',
    annotation:
      'GraphQL API "orders-graphql" accepts API keys beside AWS_IAM. Move clients to it, then remove API_KEY (deleting keys alone does not clear this).',
    exception: null,
    remediation:
      'aws appsync update-graphql-api --api-id k3l4m5n6o7p8q9 --region us-east-1 --name "orders-graphql" --authentication-type AWS_IAM',
    internetFacing: false,
    region: 'us-east-1',
    accountId: PARTNER,
  },
  {
    control: 'MSK.6',
    ruleName: 'authn-msk-no-unauthenticated-access',
    resourceType: 'AWS::MSK::Cluster',
    resourceId:
      'arn:aws:kafka:eu-west-1:444455556666:cluster/clickstream/5f1e7c2a-9d3b-4a6e-8c1f-0e2d4b6a8c9e-3',
    resourceName: 'clickstream',
    compliance: 'NON_COMPLIANT',
    annotation:
      'MSK cluster "clickstream" allows unauthenticated clients beside IAM: supplemented but not removed. Disable unauthenticated access.',
    exception: null,
    remediation:
      `aws kafka update-security --region eu-west-1 --cluster-arn arn:aws:kafka:eu-west-1:444455556666:cluster/clickstream/5f1e7c2a-9d3b-4a6e-8c1f-0e2d4b6a8c9e-3 ` +
      `--current-version K3AEGXETSR30VB --client-authentication '{"Sasl":{"Iam":{"Enabled":true}},"Unauthenticated":{"Enabled":false}}'`,
    internetFacing: true,
    region: 'eu-west-1',
    accountId: DATA,
  },
  {
    control: 'ElastiCache.6',
    ruleName: 'authn-elasticache-redis-auth',
    resourceType: 'AWS::ElastiCache::ReplicationGroup',
    resourceId: 'arn:aws:elasticache:eu-west-1:444455556666:replicationgroup:sessions-redis',
    resourceName: 'sessions-redis',
    compliance: 'NON_COMPLIANT',
    annotation:
      'Redis OSS 5.0.6 replication group "sessions-redis" has no AUTH token: any client on the network can connect.',
    exception: null,
    remediation:
      'aws elasticache modify-replication-group --region eu-west-1 --replication-group-id sessions-redis --auth-token "$TOKEN" --auth-token-update-strategy ROTATE --apply-immediately',
    internetFacing: false,
    region: 'eu-west-1',
    accountId: DATA,
  },
  {
    control: 'ElastiCache.6',
    ruleName: 'authn-elasticache-redis-auth',
    resourceType: 'AWS::ElastiCache::ReplicationGroup',
    resourceId: 'arn:aws:elasticache:eu-west-1:444455556666:replicationgroup:page-cache',
    resourceName: 'page-cache',
    compliance: 'NOT_APPLICABLE',
    annotation: 'Replication group "page-cache" runs Memcached, outside ElastiCache.6.',
    exception: null,
    remediation: null,
    internetFacing: false,
    region: 'eu-west-1',
    accountId: DATA,
  },
  {
    control: 'DMS.11',
    ruleName: 'authn-dms-mongodb-authentication',
    resourceType: 'AWS::DMS::Endpoint',
    resourceId: 'arn:aws:dms:eu-west-1:444455556666:endpoint:MONGOSRC7Q2',
    resourceName: 'mongo-source',
    compliance: 'NON_COMPLIANT',
    annotation:
      'DMS endpoint "mongo-source" connects to MongoDB without authentication (AuthType=no). Set AuthType=password with AuthMechanism=scram_sha_1 and a Secrets Manager secret.',
    exception: null,
    remediation:
      'aws dms modify-endpoint --region eu-west-1 --endpoint-arn arn:aws:dms:eu-west-1:444455556666:endpoint:MONGOSRC7Q2 --mongo-db-settings AuthType=password,AuthMechanism=scram_sha_1,AuthSource=admin,SecretsManagerSecretId=<secret-arn>,SecretsManagerAccessRoleArn=<role-arn>',
    internetFacing: false,
    region: 'eu-west-1',
    accountId: DATA,
  },
  {
    control: 'DMS.11',
    ruleName: 'authn-dms-mongodb-authentication',
    resourceType: 'AWS::DMS::Endpoint',
    resourceId: 'arn:aws:dms:eu-west-1:444455556666:endpoint:LEGACYMONGO1',
    resourceName: 'legacy-mongo-archive',
    compliance: 'COMPLIANT',
    annotation:
      'Exception: read-only archive inside an isolated VPC; decommission planned (expires 2027-03-31)',
    exception: {
      justification: 'read-only archive inside an isolated VPC; decommission planned',
      expires: '2027-03-31',
      tagKey: 'authn-exception/DMS.11',
      wide: false,
    },
    remediation: null,
    internetFacing: false,
    region: 'eu-west-1',
    accountId: DATA,
  },
];

const REPORT: FindingsReport = {
  kind: 'scan',
  generatedAt: '2026-10-02T08:41:17.512Z',
  findings: FINDINGS,
  dangling: [
    {
      resourceId: 'a1b2c3',
      resourceName: 'partner-api',
      tagKey: 'authn-exception/APIGateway.8/GET /helth',
      reason: 'no route with id or key "GET /helth" on this API',
      region: 'us-east-1',
      accountId: PARTNER,
    },
  ],
  unreadable: [
    {
      scope: 'MSK.6 in account 444455556666, us-east-1',
      control: 'MSK.6',
      error:
        'AccessDeniedException: User: arn:aws:sts::444455556666:assumed-role/AuthnPackAudit/scan is not authorized to perform: kafka:ListClustersV2',
      accountId: DATA,
      region: 'us-east-1',
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Reading the page back

/** Every start tag of the page (escaped text holds no `<`, so these are exactly the real elements). */
function startTags(page: string): string[] {
  return page.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

/** The rows of the first table with this class, each as its cells' raw markup. */
function tableRows(page: string, tableClass: string): string[][] {
  const table = new RegExp(`<table class="${tableClass}">([\\s\\S]*?)</table>`).exec(page)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1] ?? ''),
  );
}

/** The text of a fragment, exactly: tags dropped, entities decoded, whitespace kept. */
function decode(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');
}

/** Text as a person reads it: line and cell breaks as spaces, whitespace collapsed. */
function textOf(fragment: string): string {
  return decode(
    fragment.replace(/<br\s*\/?>|<\/(td|th|text|li|p|h[1-6]|dt|dd|div|pre|caption|tr|summary)>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** The commands in the fix code blocks of a fragment, as they copy. */
function fixCommands(fragment: string): string[] {
  return [...fragment.matchAll(/<pre class="fix"><code>([\s\S]*?)<\/code><\/pre>/g)].map((block) =>
    decode(block[1] ?? ''),
  );
}

/** What a reader sees of a rendered DOM: the body without styles, SVG tooltips and descriptions. */
function visibleText(dom: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(dom)?.[1] ?? '';
  return textOf(body.replace(/<(style|title|desc)\b[^>]*>[\s\S]*?<\/\1>/g, ' '));
}

// ---------------------------------------------------------------------------------------------------------------
// Headless Chromium (the build shipped in the @sparticuz/chromium npm package, see test/helpers/browser.ts)

/** Renders the page from a file:// URL in a 1280×2000 viewport; AUTHN_PACK_KEEP_HTML_RENDER=<dir> keeps the files. */
async function renderInChromium(page: string): Promise<Rendered> {
  const rendered = await renderPage(page, { width: 1280, height: 2000 });
  const keep = process.env.AUTHN_PACK_KEEP_HTML_RENDER;
  if (keep !== undefined && keep !== '') {
    // For a person to look at: AUTHN_PACK_KEEP_HTML_RENDER=/some/dir npx mocha --spec test/cli/formats/html.test.ts
    mkdirSync(keep, { recursive: true });
    writeFileSync(join(keep, 'report.html'), page);
    writeFileSync(join(keep, 'report.png'), rendered.screenshot);
  }
  return rendered;
}

// ---------------------------------------------------------------------------------------------------------------

describe('html report', () => {
  describe('escaping', () => {
    it('escapes the five HTML-significant characters and nothing else', () => {
      // Prepare
      const text = `<a href="x">Tom & Jerry's</a> café`;
      // Act
      const escaped = escapeHtml(text);
      // Assess
      expect(escaped).to.equal('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; café');
    });

    it('escapes every interpolated string in markup but keeps SafeHtml and nested markup as built', () => {
      // Prepare
      const name = '<script>alert(1)</script>';
      // Act
      const built = markup`<p title="${name}">${name} ${markup`<b>${'&'}</b>`} ${new SafeHtml('<i>ok</i>')} ${[1, '<', null, false]}</p>`;
      // Assess
      expect(built.html).to.equal(
        '<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt; <b>&amp;</b> <i>ok</i> 1&lt;</p>',
      );
    });

    it('renders a malicious resource name, annotation and tag values as text, never as markup', () => {
      // Prepare
      const hostile = '"><script src="https://evil.example/x.js"></script>';
      const report: FindingsReport = {
        ...REPORT,
        dangling: [
          { ...REPORT.dangling[0]!, tagKey: `authn-exception/APIGateway.8/${hostile}`, reason: hostile },
        ],
        unreadable: [{ scope: hostile, error: `<b>${hostile}</b>` }],
      };
      // Act
      const page = renderHtml(report);
      // Assess
      expect(page).to.include(escapeHtml(MALICIOUS_NAME));
      expect(page).to.include(escapeHtml(`HTTP API "${MALICIOUS_API}"`));
      expect(page).to.include(escapeHtml(hostile));
      expect(page).not.to.include(MALICIOUS_API);
      expect(page).not.to.include('<script');
      expect(startTags(page).filter((tag) => /^<(img|script|b)\b/i.test(tag))).to.deep.equal([]);
    });
  });

  describe('content', () => {
    it('lists every failing resource with its annotation and its fix command in a code block', () => {
      // Act
      const page = renderHtml(REPORT);
      // Assess
      const failing = rankFindings(FINDINGS).filter((f) => f.compliance === 'NON_COMPLIANT');
      expect(failing).to.have.length(7);
      const rows = tableRows(page, 'failing');
      expect(rows).to.have.length(failing.length);
      failing.forEach((finding, index) => {
        const row = rows[index] ?? [];
        expect(textOf(row[3] ?? '')).to.include(finding.resourceName);
        expect(textOf(row[5] ?? '')).to.include(finding.annotation);
        expect(fixCommands(row[5] ?? '')).to.deep.equal([finding.remediation]);
      });
    });

    it('wraps a fix command at spaces rather than after option hyphens, and copies it unchanged', () => {
      // Prepare
      const command = routeFix('a1b2c3', 'r1');
      // Act
      const built = commandMarkup(command).html;
      // Assess
      expect(decode(built)).to.equal(command);
      expect(built).to.include('<span class="nobr">--authorization-type</span>');
      expect(built).to.include('&lt;authorizer-id&gt;');
    });

    it('ranks internet-facing failures first and marks them as such', () => {
      // Act
      const rows = tableRows(renderHtml(REPORT), 'failing');
      // Assess
      const exposure = rows.map((cells) => textOf(cells[1] ?? ''));
      expect(exposure).to.deep.equal([
        'Internet-facing',
        'Internet-facing',
        'Internet-facing',
        'Not internet-facing',
        'Not internet-facing',
        'Not internet-facing',
        'Not internet-facing',
      ]);
      const names = rows.map((cells) => textOf(cells[3] ?? '').split(' arn:')[0]);
      const expected = rankFindings(FINDINGS)
        .filter((f) => f.compliance === 'NON_COMPLIANT')
        .map((f) => f.resourceName);
      expect(names).to.deep.equal(expected);
      expect(names.slice(0, 3)).to.have.members([
        'partner-api POST /orders',
        'partner-api GET /partners/{id}',
        'clickstream',
      ]);
    });

    it('lists documented exceptions with justification and expiry, flagging those expiring within 30 days', () => {
      // Act
      const rows = tableRows(renderHtml(REPORT), 'exceptions').map((cells) => cells.map(textOf));
      // Assess: soonest first; 2026-10-20 is 18 days after the report, 2027-03-31 is not close.
      expect(rows).to.have.length(2);
      expect(rows[0]).to.deep.equal([
        'APIGateway.8',
        `partner-api GET /health ${routeArn('a1b2c3', 'r3')}`,
        `${PARTNER} us-east-1`,
        'load-balancer health probe, returns no data; owner platform-team <sec-1234>',
        '2026-10-20 ⚠ Expires in 18 days',
        'authn-exception/APIGateway.8/GET /health',
      ]);
      expect(rows[1]?.[3]).to.equal('read-only archive inside an isolated VPC; decommission planned');
      expect(rows[1]?.[4]).to.equal('2027-03-31 in 180 days');
      const page = renderHtml(REPORT);
      expect(page.match(/<tr class="expiring-soon">/g)).to.have.length(1);
    });

    it('judges expiry against the report time: today and 30 days ahead are soon, 31 later, yesterday expired', () => {
      // Prepare
      const at = '2026-10-02T23:59:00Z';
      // Act
      const statuses = ['2026-10-02', '2026-11-01', '2026-11-02', '2026-10-01', null, 'soon-ish'].map(
        (expires) => exceptionExpiry(expires, at, 30),
      );
      // Assess
      expect(statuses).to.deep.equal([
        { state: 'expiring', daysLeft: 0 },
        { state: 'expiring', daysLeft: 30 },
        { state: 'valid', daysLeft: 31 },
        { state: 'expired', daysLeft: -1 },
        { state: 'no-expiry', daysLeft: null },
        { state: 'unknown', daysLeft: null },
      ]);
    });

    it('lists dangling exception tags and puts unreadable scopes in a visible warning box', () => {
      // Act
      const page = renderHtml(REPORT);
      // Assess
      expect(tableRows(page, 'dangling').map((cells) => cells.map(textOf))).to.deep.equal([
        [
          'partner-api a1b2c3',
          `${PARTNER} us-east-1`,
          'authn-exception/APIGateway.8/GET /helth',
          'no route with id or key "GET /helth" on this API',
        ],
      ]);
      const warning = /<section class="warning"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
      expect(textOf(warning)).to.include('Incomplete: 1 scope could not be read');
      expect(textOf(warning)).to.include('MSK.6 in account 444455556666, us-east-1: AccessDeniedException');
    });

    it('states in the header that it is a scan, when it was generated and which accounts and regions it covers', () => {
      // Act
      const page = renderHtml(REPORT);
      // Assess
      const header = textOf(/<header[\s\S]*?<\/header>/.exec(page)?.[0] ?? '');
      expect(header).to.include('Account scan');
      expect(header).to.include('Generated 2026-10-02 08:41 UTC');
      expect(header).to.include(`Accounts ${PARTNER}, ${DATA}`);
      expect(header).to.include('Regions eu-west-1, us-east-1');
      expect(header).to.include('Resources evaluated 11');
    });

    it('covers files and shows file, line and logical id for a template check', () => {
      // Prepare
      const finding = route('OrdersRoute', 'POST /orders', {
        resourceId: 'OrdersRoute',
        region: undefined,
        accountId: undefined,
        file: 'infra/partner-api.yaml',
        logicalId: 'OrdersRoute',
        line: 42,
      });
      const report: FindingsReport = {
        kind: 'template',
        generatedAt: '2026-10-02T08:41:17.512Z',
        findings: [finding],
        dangling: [],
        unreadable: [],
      };
      // Act
      const page = renderHtml(report);
      // Assess
      const header = textOf(/<header[\s\S]*?<\/header>/.exec(page)?.[0] ?? '');
      expect(header).to.include('Template check');
      expect(header).to.include('Files infra/partner-api.yaml');
      expect(header).not.to.include('Accounts');
      expect(textOf(tableRows(page, 'failing')[0]?.[4] ?? '')).to.equal(
        'infra/partner-api.yaml:42 OrdersRoute',
      );
      expect(page).not.to.include('class="warning"');
    });

    it('charts every control of the registry with its counts and a legend', () => {
      // Act
      const page = renderHtml(REPORT);
      // Assess
      const svg = /<svg[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
      expect(svg).to.include('role="img"');
      const bars = [...svg.matchAll(/<g class="row">([\s\S]*?)<\/g>/g)].map((bar) =>
        [...(bar[1] ?? '').matchAll(/<text[^>]*class="(control|count|total|empty)"[^>]*>([^<]*)/g)].map(
          (t) => t[2],
        ),
      );
      expect(bars).to.deep.equal([
        ['APIGateway.8', '3', '2', '5 resources'],
        ['AppSync.5', '1', '1 resource'],
        ['MSK.6', '1', '1 resource'],
        ['ElastiCache.6', '1', '1', '2 resources'],
        ['DMS.11', '1', '1', '2 resources'],
        ['Neptune.7', 'no resources found', '0 resources'],
        ['AUTHN-LAMBDA-URL', 'no resources found', '0 resources'],
        ['AUTHN-APIGW-REST', 'no resources found', '0 resources'],
        ['AUTHN-APPSYNC-EVENTS', 'no resources found', '0 resources'],
      ]);
      expect(bars.map((bar) => bar[0])).to.deep.equal(RULES.map((rule) => rule.control));
      for (const label of [
        'Non-compliant',
        'Compliant',
        'Compliant by documented exception',
        'Not applicable',
      ]) {
        expect(svg).to.include(`class="legend">${label}</text>`);
      }
    });

    it('gives every non-empty chart segment room for its number and fills the bar exactly', () => {
      // Act
      const widths = segmentWidths([1, 98, 1], 500, 30);
      // Assess
      expect(widths[0]).to.be.at.least(30);
      expect(widths[2]).to.be.at.least(30);
      expect(widths.reduce((a, b) => a + b, 0)).to.be.closeTo(500, 1e-9);
      expect(segmentWidths([0, 0, 0], 500, 30)).to.deep.equal([0, 0, 0]);
    });

    it('says so plainly when nothing fails and a control has no resources', () => {
      // Prepare
      const report: FindingsReport = {
        ...REPORT,
        findings: FINDINGS.filter((f) => f.compliance !== 'NON_COMPLIANT'),
      };
      // Act
      const page = renderHtml(report);
      // Assess
      expect(page).to.include('<p class="all-clear">No failing resources.</p>');
      expect(page).to.include('no resources found');
    });
  });

  describe('self-contained and accessible', () => {
    it('references nothing outside the file: no src or href to a URL, no script, no stylesheet link, no import', () => {
      // Act
      const page = renderHtml(REPORT);
      // Assess
      const tags = startTags(page);
      const external = tags.filter((tag) =>
        /\b(src|href|xlink:href|srcset|action|poster|data)\s*=\s*["']?\s*(https?:|\/\/|file:|ftp:)/i.test(
          tag,
        ),
      );
      expect(external).to.deep.equal([]);
      expect(
        tags.filter((tag) => /^<(script|link|img|iframe|object|embed|image|use|base)\b/i.test(tag)),
      ).to.deep.equal([]);
      expect(page).not.to.match(/@import|url\(\s*["']?\s*(https?:|\/\/)/i);
      expect(tags.filter((tag) => /\bhref=/.test(tag)).every((tag) => /href="#[a-z-]+"/.test(tag))).to.equal(
        true,
      );
      expect(page).to.include(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`,
      );
    });

    it('declares its language and title and marks up tables with captions and header scopes', () => {
      // Act
      const page = renderHtml(REPORT);
      // Assess
      expect(page).to.match(/^<!doctype html>\n<html lang="en">/);
      expect(/<title>([^<]*)<\/title>/.exec(page)?.[1]).to.equal(
        'authn-pack scan: 7 failing · 2 accounts, 2 regions · 2026-10-02 08:41 UTC',
      );
      const tables = page.match(/<table[\s\S]*?<\/table>/g) ?? [];
      expect(tables).to.have.length(4);
      for (const table of tables) {
        expect(table).to.match(/<caption>[^<]+<\/caption>/);
        expect(table).to.match(/<thead><tr>(<th scope="col"[^>]*>[^<]*<\/th>)+<\/tr><\/thead>/);
      }
      expect(page).to.match(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"/);
    });
  });

  describe('in headless Chromium', function () {
    this.timeout(150_000);
    let rendered: Rendered;

    before(async () => {
      // Prepare + Act: the page as forwarded — a file opened in a browser.
      rendered = await renderInChromium(renderHtml(REPORT));
    });

    it('renders in the Chromium shipped in node_modules, not a browser found on the system', async () => {
      // Assess: the package's major version is the Chromium major version it carries.
      const { packageVersion } = await shippedChromium();
      expect(rendered.browserVersion).to.match(
        new RegExp(`^HeadlessChrome/${packageVersion.split('.')[0] ?? ''}\\.`),
      );
    });

    it('shows every control with its counts', () => {
      // Assess
      const summary = /<table class="summary">[\s\S]*?<\/table>/.exec(rendered.dom)?.[0] ?? '';
      const rows = tableRows(summary, 'summary').map((cells) => cells.map(textOf));
      expect(rows).to.deep.equal([
        ['APIGateway.8 API Gateway v2 routes specify an authorization type', '3', '2', '1', '0', '5'],
        ['AppSync.5 AppSync GraphQL APIs do not accept API keys', '1', '0', '0', '0', '1'],
        ['MSK.6 MSK clusters do not accept unauthenticated clients', '1', '0', '0', '0', '1'],
        ['ElastiCache.6 Redis OSS replication groups below 6.0 use AUTH', '1', '0', '0', '1', '2'],
        ['DMS.11 DMS endpoints for MongoDB use authentication', '1', '1', '1', '0', '2'],
        ['Neptune.7 Neptune DB clusters use IAM database authentication', '0', '0', '0', '0', '0'],
        ['AUTHN-LAMBDA-URL Lambda function URLs require IAM authentication', '0', '0', '0', '0', '0'],
        ['AUTHN-APIGW-REST API Gateway REST API methods require authorization', '0', '0', '0', '0', '0'],
        ['AUTHN-APPSYNC-EVENTS AppSync Event APIs do not accept API keys', '0', '0', '0', '0', '0'],
      ]);
    });

    it('draws the chart as SVG in the rendered page', () => {
      // Assess
      const svg = /<svg[\s\S]*?<\/svg>/.exec(rendered.dom)?.[0] ?? '';
      expect(svg).to.include('class="compliance-chart"');
      expect(svg.match(/<g class="row">/g)).to.have.length(RULES.length);
      const text = textOf(svg.replace(/<(style|title|desc)\b[^>]*>[\s\S]*?<\/\1>/g, ' '));
      for (const rule of RULES) expect(text).to.include(rule.control);
      expect(text).to.include('Non-compliant Compliant Compliant by documented exception Not applicable');
    });

    it('shows failing resources with their fixes, the exception expiry, the dangling tag and the warning', () => {
      // Assess
      const text = visibleText(rendered.dom);
      expect(text).to.include('Failing resources (7)');
      expect(text).to.include('partner-api POST /orders');
      expect(text).to.include(routeFix('a1b2c3', 'r1').replace(/\s+/g, ' '));
      expect(fixCommands(rendered.dom)).to.include(routeFix('a1b2c3', 'r1'));
      expect(text).to.include('Internet-facing');
      expect(text).to.include('2026-10-20 ⚠ Expires in 18 days');
      expect(text).to.include('authn-exception/APIGateway.8/GET /helth');
      expect(text).to.include('Incomplete: 1 scope could not be read');
      const failing = tableRows(rendered.dom, 'failing').map((cells) => cells.map(textOf));
      expect(failing.map((cells) => cells[1])).to.deep.equal([
        ...Array<string>(3).fill('Internet-facing'),
        ...Array<string>(4).fill('Not internet-facing'),
      ]);
      expect(failing[0]?.[3]).to.match(/^partner-api GET \/partners\/\{id\} /);
    });

    it('shows the malicious name as literal text and creates no element from it', () => {
      // Assess
      expect(visibleText(rendered.dom)).to.include(MALICIOUS_NAME);
      expect(rendered.dom).not.to.match(/<(img|script)\b/i);
    });

    it('produces a full-size, non-trivial screenshot', () => {
      // Assess: a PNG, 1280×2000 as requested, far larger than a blank page's.
      const png = rendered.screenshot;
      expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).to.deep.equal([1280, 2000]);
      expect(png.length).to.be.greaterThan(60_000);
    });
  });
});
