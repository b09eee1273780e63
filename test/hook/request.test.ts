/** hook/request: the documented Lambda hook request, read into what the evaluation needs. */
import { expect } from 'chai';
import { MalformedHookRequestError, actionOf, parseHookRequest } from '../../hook/request';
import { ACCOUNT, STACK_ID, hookRequest } from '../helpers/hook';

describe('hook/request', () => {
  it('reads every field of a documented resource request', () => {
    // Prepare
    const request = hookRequest(
      'AWS::MSK::Cluster',
      'ClickstreamCluster',
      { ClusterName: 'clickstream', NumberOfBrokerNodes: '3' },
      {
        point: 'UPDATE_PRE_PROVISION',
        previous: { ClusterName: 'clickstream', NumberOfBrokerNodes: '2' },
        invocation: 2,
        callbackContext: { authnPackInvocation: 2 },
      },
    );
    // Act
    const parsed = parseHookRequest(request);
    // Assess
    expect(parsed).to.deep.equal({
      clientRequestToken: 'f0e1d2c3-b4a5-4697-8877-665544332211',
      action: 'UPDATE',
      actionInvocationPoint: 'UPDATE_PRE_PROVISION',
      resourceType: 'AWS::MSK::Cluster',
      logicalId: 'ClickstreamCluster',
      properties: { ClusterName: 'clickstream', NumberOfBrokerNodes: '3' },
      previousProperties: { ClusterName: 'clickstream', NumberOfBrokerNodes: '2' },
      invocation: 2,
      callbackContext: { authnPackInvocation: 2 },
      accountId: ACCOUNT,
      stackId: STACK_ID,
    });
  });

  it('takes the type from targetType when targetName is not a type name', () => {
    // Prepare
    const request = hookRequest('AWS::DMS::Endpoint', 'Source', {});
    const event = { ...request, requestData: { ...request.requestData, targetName: 'Source' } };
    // Act
    const parsed = parseHookRequest(event);
    // Assess
    expect(parsed.resourceType).to.equal('AWS::DMS::Endpoint');
  });

  it('counts a request without requestContext as the first call, and a Cloud Control request without a logical id', () => {
    // Prepare
    const request = hookRequest('AWS::DMS::Endpoint', 'Source', {});
    const event: Record<string, unknown> = {
      ...request,
      requestData: { ...request.requestData, targetLogicalId: undefined },
    };
    delete event.requestContext;
    // Act
    const parsed = parseHookRequest(event);
    // Assess
    expect(parsed.invocation).to.equal(1);
    expect(parsed.logicalId).to.equal('(no logical id)');
  });

  it('refuses previous properties that are not an object', () => {
    // Prepare
    const request = hookRequest('AWS::DMS::Endpoint', 'Source', {});
    const event = {
      ...request,
      requestData: {
        ...request.requestData,
        targetModel: { resourceProperties: {}, previousResourceProperties: ['EngineName'] },
      },
    };
    // Act + Assess
    expect(() => parseHookRequest(event))
      .to.throw(MalformedHookRequestError)
      .with.property('message')
      .that.includes('previousResourceProperties is a list');
  });

  it('names the operation of any request that has one, and of nothing else', () => {
    // Assess
    expect(actionOf({ actionInvocationPoint: 'DELETE_PRE_PROVISION' })).to.equal('DELETE');
    expect(actionOf({ actionInvocationPoint: 'CREATE_PRE_PROVISION' })).to.equal('CREATE');
    expect(actionOf({ actionInvocationPoint: 'delete' })).to.equal(undefined);
    expect(actionOf([])).to.equal(undefined);
  });
});
