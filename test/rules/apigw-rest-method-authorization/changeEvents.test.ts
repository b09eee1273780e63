import { expect } from 'chai';
import {
  METHOD_EVENT_NAMES,
  methodChangedKeys,
  restApiIdOfArn,
} from '../../../rules/apigw-rest-method-authorization/changeEvents';
import { routeChangedKeys } from '../../../rules/apigwv2-route-authorization/changeEvents';
import { parseCloudTrailEvent } from '../../../rules/core/change-events';
import {
  apiGatewayCall,
  cloudTrailFixtures,
  itMapsEachCall,
  type MappingCase,
} from '../../helpers/change-events';

/** API Gateway REST calls as EventBridge delivers them (CloudTrail record inside), one per event name. */
const { event } = cloudTrailFixtures('cloudtrail-apigateway-rest.json');
const API = 'x9y8z7w6v5';

const CASES: readonly MappingCase[] = [
  {
    fixture: 'PutMethod',
    says: 'names its API in the path parameters',
    expected: 'changed',
    keys: [{ key: API }],
  },
  { fixture: 'UpdateMethod', says: 'changes a method of its API', expected: 'changed', keys: [{ key: API }] },
  {
    fixture: 'DeleteMethod',
    says: 'names the removed method by the ARN the rule reports',
    expected: 'changed',
    keys: [
      {
        key: API,
        removedIds: [`arn:aws:apigateway:eu-west-1::/restapis/${API}/resources/ab12cd/methods/OPTIONS`],
      },
    ],
  },
  {
    fixture: 'UpdateResource',
    says: 'moves a path (and the exception qualifiers that name it)',
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'DeleteResource',
    says: 'removes methods it does not name (the child resources go too)',
    expected: 'changed',
    keys: [{ key: API, removesUnnamed: true }],
  },
  {
    fixture: 'CreateRestApi',
    says: 'carries the new API id only in its response',
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'ImportRestApi',
    says: 'carries the new API id only in its response',
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'PutRestApi',
    says: 'replaces the definition, so methods can go unnamed',
    expected: 'changed',
    keys: [{ key: API, removesUnnamed: true }],
  },
  {
    fixture: 'UpdateRestApi',
    says: 'changes the endpoint type every method is judged with',
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'DeleteRestApi',
    says: 'removes every method of the API',
    expected: 'changed',
    keys: [{ key: API, removesUnnamed: true }],
  },
  {
    fixture: 'TagResource',
    says: 'on a REST API changes its exception tags',
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'UntagResource',
    says: 'on a REST API changes its exception tags',
    expected: 'changed',
    keys: [{ key: API }],
  },
  { fixture: 'TagResource on a stage', says: 'is not about methods', expected: 'unrelated' },
  {
    fixture: 'TagResource on an HTTP API',
    says: 'belongs to the route rule, not this one',
    expected: 'unrelated',
  },
];

describe('AUTHN-APIGW-REST change events (CloudTrail via EventBridge → changed REST API)', () => {
  itMapsEachCall(CASES, event, methodChangedKeys);

  it('has a fixture for every event name it declares, each a call it maps to a change', () => {
    // Act
    const mapped = METHOD_EVENT_NAMES.map(
      (name) => methodChangedKeys(parseCloudTrailEvent(event(name))).kind,
    );
    // Assess
    expect(mapped).to.deep.equal(METHOD_EVENT_NAMES.map(() => 'changed'));
  });

  it('keeps the errorCode of a call that failed, so the recorder records nothing', () => {
    // Act
    const call = parseCloudTrailEvent(event('UpdateMethod that failed'));
    // Assess
    expect(call.errorCode).to.equal('NotFoundException');
  });

  it('reads the tagging calls of an HTTP API as unrelated, as the route rule reads those of a REST API', () => {
    // Prepare: the two rules share TagResource and UntagResource (one source, one eventSource).
    const restTags = parseCloudTrailEvent(event('TagResource'));
    const httpTags = parseCloudTrailEvent(event('TagResource on an HTTP API'));
    // Act
    const kinds = [
      routeChangedKeys(restTags).kind,
      methodChangedKeys(httpTags).kind,
      routeChangedKeys(httpTags).kind,
      methodChangedKeys(restTags).kind,
    ];
    // Assess
    expect(kinds).to.deep.equal(['unrelated', 'unrelated', 'changed', 'changed']);
  });

  it('a record without the API id (requestParameters withheld) means: sweep everything', () => {
    // Act
    const mapping = methodChangedKeys(parseCloudTrailEvent(apiGatewayCall('UpdateMethod', null)));
    // Assess
    expect(mapping.kind).to.equal('unknown');
  });

  it('DeleteMethod without the method named removes unnamed methods of its API', () => {
    // Act
    const mapping = methodChangedKeys(
      parseCloudTrailEvent(apiGatewayCall('DeleteMethod', { restApiId: API })),
    );
    // Assess
    expect(mapping).to.deep.equal({ kind: 'changed', keys: [{ key: API, removesUnnamed: true }] });
  });

  it('TagResource without resourceArn means: sweep everything', () => {
    // Act
    const mapping = methodChangedKeys(parseCloudTrailEvent(apiGatewayCall('TagResource', {})));
    // Assess
    expect(mapping.kind).to.equal('unknown');
  });

  it('reads the REST API id from a REST API ARN in any partition, and nothing else', () => {
    expect(restApiIdOfArn('arn:aws-cn:apigateway:cn-north-1::/restapis/q1w2e3')).to.equal('q1w2e3');
    expect(restApiIdOfArn('arn:aws:apigateway:eu-west-1::/apis/q1w2e3')).to.be.undefined;
    expect(restApiIdOfArn('arn:aws:apigateway:eu-west-1::/restapis/q1w2e3/stages/prod')).to.be.undefined;
  });
});
