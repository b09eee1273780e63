/**
 * SAM templates judged as AWS's own transform leaves them: for every SAM template under test/fixtures/sam, the
 * verdicts equal those of its output from aws-sam-translator (committed in test/fixtures/sam/transformed, made by
 * test/helpers/sam_translate.py). With the translator installed the outputs are made again and compared first.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkTemplate } from '../../../cli/check-template';
import type { Finding } from '../../../cli/findings';
import { DEFAULT_EXCEPTION_PREFIX } from '../../../rules/core/exceptions';
import { expandSam, isSamTemplate } from '../../../rules/core/sam';
import { TemplateError, TemplateView, parseTemplate } from '../../../rules/core/template';
import { SAM_EXPANSIONS } from '../../../rules/index';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'sam');
const TRANSFORMED = join(FIXTURES, 'transformed');
const SCRIPT = join(__dirname, '..', '..', 'helpers', 'sam_translate.py');
const SAM_FILES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const run = promisify(execFile);

function findingsOf(text: string, file: string): Finding[] {
  const parsed = parseTemplate(text, file);
  return checkTemplate(new TemplateView(expandSam(parsed, SAM_EXPANSIONS)), file, {
    now: new Date('2026-12-01T00:00:00Z'),
    exceptionPrefix: DEFAULT_EXCEPTION_PREFIX,
    requireExpiry: false,
  }).findings;
}

/** What a verdict is, whoever names the resource: control, resource id (API/route key), compliance. */
const verdicts = (findings: readonly Finding[]): string[] =>
  findings.map((finding) => `${finding.control} ${finding.resourceId} ${finding.compliance}`).sort();

function transformedOf(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(TRANSFORMED, name.replace(/\.yaml$/, '.json')), 'utf8')) as Record<
    string,
    unknown
  >;
}

describe('rules/core/sam: SAM templates get the verdicts of their transformed output', function () {
  this.timeout(60_000);

  it('the committed transformed outputs are what aws-sam-translator makes of the fixtures today', async function () {
    // Prepare
    try {
      await run('python3', ['-c', 'import samtranslator']);
    } catch {
      console.log('      skipped: aws-sam-translator is not installed (pip install aws-sam-translator)');
      this.skip();
    }
    const out = mkdtempSync(join(tmpdir(), 'authn-sam-'));
    // Act
    await run('python3', [SCRIPT, out, ...SAM_FILES.map((name) => join(FIXTURES, name))]);
    // Assess
    for (const name of SAM_FILES) {
      const json = name.replace(/\.yaml$/, '.json');
      expect(JSON.parse(readFileSync(join(out, json), 'utf8')), json).to.deep.equal(transformedOf(name));
    }
  });

  for (const name of SAM_FILES) {
    it(`${name}: the same verdicts as after the transform`, () => {
      // Prepare
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      const transformed = transformedOf(name);
      expect(isSamTemplate(parseTemplate(text, name)), 'a SAM template').to.equal(true);
      // Act
      if (typeof transformed.transformError === 'string') {
        // Assess: a template the transform refuses never deploys, and never passes.
        expect(() => findingsOf(text, name)).to.throw(TemplateError, /SAM transform would fail/);
        return;
      }
      const sam = findingsOf(text, name);
      const cloudFormation = findingsOf(JSON.stringify(transformed), `${name}.json`);
      // Assess
      expect(sam.length, 'a SAM template in scope gives findings').to.be.above(0);
      expect(verdicts(sam)).to.deep.equal(verdicts(cloudFormation));
    });
  }

  describe('what the findings say', () => {
    const find = (name: string, resourceId: string): Finding | undefined =>
      findingsOf(readFileSync(join(FIXTURES, name), 'utf8'), name).find((f) => f.resourceId === resourceId);

    it('names the function and event of an open route of the implicit API, with the line of the event', () => {
      // Prepare
      const text = readFileSync(join(FIXTURES, 'implicit-http-api-open.yaml'), 'utf8');
      const eventLine = text.split('\n').findIndex((line) => line.trim() === 'Greet:') + 1;
      // Act
      const finding = find('implicit-http-api-open.yaml', 'ServerlessHttpApi/GET /hello');
      // Assess
      expect(finding).to.deep.include({
        compliance: 'NON_COMPLIANT',
        logicalId: 'Hello',
        line: eventLine,
      });
      expect(finding?.resourceName).to.include('GET /hello').and.include('function Hello event Greet');
      expect(find('implicit-http-api-open.yaml', 'ServerlessHttpApi/$default')?.compliance).to.equal(
        'NON_COMPLIANT',
      );
    });

    it('opens exactly the route with Authorizer NONE under a default authorizer', () => {
      // Act
      const rows = ['GET /orders', 'GET /health', 'POST /admin'].map((key) => [
        key,
        find('http-api-default-authorizer.yaml', `OrdersApi/${key}`)?.compliance,
      ]);
      // Assess
      expect(rows).to.deep.equal([
        ['GET /orders', 'COMPLIANT'],
        ['GET /health', 'NON_COMPLIANT'],
        ['POST /admin', 'COMPLIANT'],
      ]);
    });

    it('fails a GraphQL API on API keys only, and judges $connect of a WebSocket API', () => {
      // Act and Assess
      expect(find('graphql-api-key-only.yaml', 'ReviewsApi')?.compliance).to.equal('NON_COMPLIANT');
      expect(find('graphql-api-key-only.yaml', 'PartnersApi')?.compliance).to.equal('COMPLIANT');
      expect(find('websocket-api-connect.yaml', 'SecureChatConnectRoute')?.compliance).to.equal('COMPLIANT');
      expect(find('websocket-api-connect.yaml', 'OpenChatConnectRoute')?.compliance).to.equal(
        'NON_COMPLIANT',
      );
      expect(find('websocket-api-connect.yaml', 'SecureChatSendRoute')?.compliance).to.equal(
        'NOT_APPLICABLE',
      );
    });

    it('judges each method of a SAM REST API as API Gateway imports it, naming the function and event', () => {
      // Prepare
      const name = 'rest-api-authorizers.yaml';
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      // The event's Authorizer: NONE, where its author opened it.
      const lines = text.split('\n');
      const catalogEvent = lines.findIndex((line) => line.trim() === 'Catalog:');
      const catalogLine =
        lines.findIndex((line, at) => at > catalogEvent && line.trim() === 'Authorizer: NONE') + 1;
      // Act
      const rows = [
        'GET /orders',
        'GET /health',
        'GET /catalog',
        'ANY /admin',
        'POST /checkout',
        'PUT /tenants/{id}',
        'OPTIONS /orders',
      ].map((key) => [key, find(name, `ShopApi/${key}`)?.compliance]);
      const catalog = find(name, 'ShopApi/GET /catalog');
      // Assess
      expect(rows).to.deep.equal([
        ['GET /orders', 'COMPLIANT'],
        ['GET /health', 'NON_COMPLIANT'],
        ['GET /catalog', 'NON_COMPLIANT'],
        ['ANY /admin', 'COMPLIANT'],
        ['POST /checkout', 'COMPLIANT'],
        ['PUT /tenants/{id}', 'COMPLIANT'],
        // AddDefaultAuthorizerToCorsPreflight: false leaves the CORS preflight on the API key alone.
        ['OPTIONS /orders', 'NON_COMPLIANT'],
      ]);
      expect(catalog).to.deep.include({ logicalId: 'Orders', line: catalogLine });
      expect(catalog?.resourceName).to.include('function Orders event Catalog');
      expect(catalog?.annotation).to.include('An API key is required, but a key is a shared string');
    });

    it('fails the implicit ServerlessRestApi on an API key alone, and passes its IAM method', () => {
      // Act
      const rows = ['GET /hello', 'POST /hello', 'ANY /{proxy+}'].map((key) => [
        key,
        find('implicit-rest-api.yaml', `ServerlessRestApi/${key}`)?.compliance,
      ]);
      // Assess
      expect(rows).to.deep.equal([
        ['GET /hello', 'NON_COMPLIANT'],
        ['POST /hello', 'COMPLIANT'],
        ['ANY /{proxy+}', 'NON_COMPLIANT'],
      ]);
      expect(find('implicit-rest-api.yaml', 'ServerlessRestApi/ANY /{proxy+}')?.resourceName).to.include(
        'function Proxy event Everything',
      );
    });

    it('gives the default authorizer of a DefinitionBody only to the methods with an integration', () => {
      // Act
      const rows = ['GET /entries', 'GET /docs', 'GET /status'].map((key) => [
        key,
        find('rest-api-definition-body.yaml', `LedgerApi/${key}`)?.compliance,
      ]);
      // Assess
      expect(rows).to.deep.equal([
        ['GET /entries', 'COMPLIANT'],
        ['GET /docs', 'NON_COMPLIANT'],
        ['GET /status', 'COMPLIANT'],
      ]);
      // SAM does not add an event's method to a DefinitionBody of the user's.
      expect(find('rest-api-definition-body.yaml', 'LedgerApi/POST /entries')).to.equal(undefined);
      const docs = find('rest-api-definition-body.yaml', 'LedgerApi/GET /docs');
      expect(docs?.internetFacing).to.equal(false);
      // Located at the method in DefinitionBody, the line after `/docs:`.
      const text = readFileSync(join(FIXTURES, 'rest-api-definition-body.yaml'), 'utf8');
      expect(docs?.line).to.equal(text.split('\n').findIndex((line) => line.trim() === '/docs:') + 2);
    });

    it('judges FunctionUrlConfig as the AWS::Lambda::Url it makes, on the AutoPublishAlias alias', () => {
      // Prepare
      const text = readFileSync(join(FIXTURES, 'function-url.yaml'), 'utf8');
      const lines = text.split('\n');
      const publicLine = lines.findIndex((line) => line.trim() === 'Public:') + 1;
      // Act
      const open = find('function-url.yaml', 'PublicUrl');
      // Assess
      expect(open).to.deep.include({ compliance: 'NON_COMPLIANT', resourceName: 'Public:live URL' });
      expect(open?.line).to.be.greaterThan(publicLine);
      expect(find('function-url.yaml', 'InternalUrl')?.compliance).to.equal('COMPLIANT');
      expect(find('function-url.yaml', 'WebhookUrl')?.annotation).to.match(/^Exception: provider webhook/);
    });

    it('merges event methods into a DefinitionBody with MergeDefinitions, and names a state machine event', () => {
      // Act
      const name = 'rest-api-merge-definitions.yaml';
      const rows = ['GET /orders', 'POST /orders', 'DELETE /orders'].map((key) => [
        key,
        find(name, `OrdersApi/${key}`)?.compliance,
      ]);
      // Assess
      expect(rows).to.deep.equal([
        ['GET /orders', 'COMPLIANT'],
        ['POST /orders', 'NON_COMPLIANT'],
        ['DELETE /orders', 'NON_COMPLIANT'],
      ]);
      expect(find(name, 'ServerlessRestApi/POST /fulfil')?.resourceName).to.include(
        'state machine Fulfil event Start',
      );
    });
  });

  describe('expandSam, the loop over the expansions it is given', () => {
    const parsed = parseTemplate(
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Api:',
        '    Type: AWS::Serverless::HttpApi',
        '  Table:',
        '    Type: AWS::Serverless::SimpleTable',
      ].join('\n'),
      'loop.yaml',
    );

    it('leaves a resource of a SAM type no expansion takes as it is, and expands the others', () => {
      // Act
      const none = expandSam(parsed, []);
      const all = expandSam(parsed, SAM_EXPANSIONS);
      // Assess
      expect(none.resources.map((resource) => resource.type)).to.deep.equal([
        'AWS::Serverless::HttpApi',
        'AWS::Serverless::SimpleTable',
      ]);
      expect(all.resources.map((resource) => resource.type)).to.deep.equal([
        'AWS::ApiGatewayV2::Api',
        'AWS::Serverless::SimpleTable',
      ]);
    });

    it('refuses two expansions of one SAM type (each would replace the resource)', () => {
      // Prepare
      const [first] = SAM_EXPANSIONS;
      // Assess
      expect(first).to.not.equal(undefined);
      expect(() => expandSam(parsed, [first!, first!])).to.throw(/two SAM expansions of AWS::Serverless::/);
    });
  });
});
