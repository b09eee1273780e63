import { expect } from 'chai';
import { appsyncEventApiNoApiKey as rule } from '../../../rules/appsync-event-api-no-api-key/rule';
import { UNVERIFIABLE, checkSnippet, templateTable } from '../../helpers/templates';

const IAM = '[{AuthType: AWS_IAM}]';

/** An Event API `scores` with the connect/publish/subscribe modes given, and extra resources after it. */
function stack(
  modes: { connect?: string; publish?: string; subscribe?: string } = {},
  more = '',
  apiTags = '',
): string {
  return `
Parameters:
  PublishMode: {Type: String, Default: AWS_IAM}
  NoDefault: {Type: String}
Resources:
  ScoresApi:
    Type: AWS::AppSync::Api
    Properties:
      Name: scores
      EventConfig:
        AuthProviders:
          - AuthType: AWS_IAM
          - AuthType: API_KEY
        ConnectionAuthModes: ${modes.connect ?? IAM}
        DefaultPublishAuthModes: ${modes.publish ?? IAM}
        DefaultSubscribeAuthModes: ${modes.subscribe ?? IAM}
      Tags:
        - {Key: team, Value: sports}
${apiTags}
${more}
`;
}

const namespace = (logicalId: string, name: string, properties = ''): string => `
  ${logicalId}:
    Type: AWS::AppSync::ChannelNamespace
    Properties:
      ApiId: !GetAtt ScoresApi.ApiId
      Name: ${name}
${properties}`;

describe('AUTHN-APPSYNC-EVENTS template adapter', () => {
  templateTable(rule, [
    {
      title: 'AWS_IAM connect, publish and subscribe → COMPLIANT',
      template: stack(),
      resourceId: 'ScoresApi',
      compliance: 'COMPLIANT',
      code: 'event-api-authenticated',
      annotation: /^Event API "scores" \(ScoresApi\) authenticates every connection, publish and subscribe/,
      also: (finding) => {
        expect(finding.resourceType).to.equal('AWS::AppSync::Api');
        expect(finding.internetFacing).to.equal(true);
      },
    },
    {
      title: 'an API_KEY provider no mode uses does not fail the API',
      template: stack({}, namespace('Live', 'live')),
      resourceId: 'ScoresApi',
      compliance: 'COMPLIANT',
      code: 'event-api-authenticated',
      annotation: /authenticates every connection/,
    },
    {
      title: 'API_KEY in ConnectionAuthModes → NON_COMPLIANT with the template fix',
      template: stack({ connect: '[{AuthType: API_KEY}, {AuthType: AWS_IAM}]' }),
      resourceId: 'ScoresApi',
      compliance: 'NON_COMPLIANT',
      code: 'event-api-key-connect',
      annotation: /accepts API keys \(connection\)/,
      also: (finding) =>
        expect(finding.remediation).to.match(
          /ScoresApi in stack\.yaml: remove API_KEY from EventConfig\.ConnectionAuthModes/,
        ),
    },
    {
      title: 'API_KEY in DefaultSubscribeAuthModes → NON_COMPLIANT',
      template: stack({ subscribe: '[{AuthType: API_KEY}]' }),
      resourceId: 'ScoresApi',
      compliance: 'NON_COMPLIANT',
      code: 'event-api-key-subscribe',
      annotation: /accepts API keys \(default subscribe\)/,
    },
    {
      title: "a ChannelNamespace's API_KEY publish override fails its API, naming the namespace",
      template: stack(
        {},
        namespace('Live', 'live', '      PublishAuthModes: [{AuthType: API_KEY}]') +
          namespace('Audit', 'audit', `      SubscribeAuthModes: ${IAM}`),
      ),
      resourceId: 'ScoresApi',
      compliance: 'NON_COMPLIANT',
      code: 'event-api-key-namespace',
      annotation: /accepts API keys \(namespace "live" publish\)/,
    },
    {
      title: 'a ChannelNamespace of an API in the template gets no finding of its own',
      template: stack({}, namespace('Live', 'live', '      PublishAuthModes: [{AuthType: API_KEY}]')),
      resourceId: 'ScoresApi',
      compliance: 'NON_COMPLIANT',
      code: 'event-api-key-namespace',
      annotation: /namespace "live" publish/,
      also: () => {
        const { findings } = checkSnippet(
          rule,
          stack({}, namespace('Live', 'live', '      PublishAuthModes: [{AuthType: API_KEY}]')),
        );
        expect(findings.map((finding) => finding.resourceId)).to.deep.equal(['ScoresApi']);
      },
    },
    {
      title: 'a documented exception on the API → COMPLIANT',
      template: stack(
        { subscribe: '[{AuthType: API_KEY}]' },
        '',
        "        - {Key: authn-exception/AUTHN-APPSYNC-EVENTS, Value: 'public scoreboard feed, subscribe only'}",
      ),
      resourceId: 'ScoresApi',
      compliance: 'COMPLIANT',
      code: 'event-api-key-subscribe',
      annotation: /^Exception: public scoreboard feed, subscribe only \(no expiry\)$/,
    },
    {
      title: 'a mode through a parameter Default → COMPLIANT',
      template: stack({ publish: '[{AuthType: !Ref PublishMode}]' }),
      resourceId: 'ScoresApi',
      compliance: 'COMPLIANT',
      code: 'event-api-authenticated',
      annotation: /authenticates every connection/,
    },
    {
      title: 'a mode from a parameter without Default → NON_COMPLIANT, cannot be verified',
      template: stack({ publish: '[{AuthType: !Ref NoDefault}]' }),
      resourceId: 'ScoresApi',
      compliance: 'NON_COMPLIANT',
      code: 'template-value-unverifiable',
      annotation: UNVERIFIABLE,
    },
    {
      title: 'a namespace mode not known before deploy makes its API unverifiable',
      template: stack({}, namespace('Live', 'live', '      PublishAuthModes: [{AuthType: !Ref NoDefault}]')),
      resourceId: 'ScoresApi',
      compliance: 'NON_COMPLIANT',
      code: 'template-value-unverifiable',
      annotation: UNVERIFIABLE,
    },
    {
      title: 'no EventConfig → NON_COMPLIANT, cannot be verified (fail closed)',
      template: `
Resources:
  Bare:
    Type: AWS::AppSync::Api
    Properties: {Name: bare}
`,
      resourceId: 'Bare',
      compliance: 'NON_COMPLIANT',
      code: 'template-value-unverifiable',
      annotation: UNVERIFIABLE,
    },
    {
      title: 'a namespace of an API outside the template with API_KEY → NON_COMPLIANT on the namespace',
      template: `
Parameters:
  EventApiId: {Type: String}
Resources:
  Live:
    Type: AWS::AppSync::ChannelNamespace
    Properties:
      ApiId: !Ref EventApiId
      Name: live
      SubscribeAuthModes: [{AuthType: API_KEY}]
`,
      resourceId: 'Live',
      compliance: 'NON_COMPLIANT',
      code: 'event-api-key-namespace',
      annotation: /accepts API keys \(namespace "live" subscribe\)/,
    },
    {
      title: 'a namespace of an API outside the template without API_KEY → cannot be verified',
      template: `
Resources:
  Live:
    Type: AWS::AppSync::ChannelNamespace
    Properties:
      ApiId: abcdefghijklmnopqrstuvwxyz
      Name: live
      PublishAuthModes: [{AuthType: AWS_IAM}]
`,
      resourceId: 'Live',
      compliance: 'NON_COMPLIANT',
      code: 'template-value-unverifiable',
      annotation: UNVERIFIABLE,
    },
  ]);
});
