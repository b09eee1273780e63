/** Config configuration item (AWS::DMS::Endpoint) → endpoint facts. */
import { field, text } from '../core/facts';
import type { ConfigurationItem } from '../core/types';
import type { EndpointFacts } from './facts';

/** Config CI (CloudFormation names: `MongoDbSettings`) → facts. */
export function endpointFromConfigurationItem(item: ConfigurationItem): EndpointFacts {
  const configuration = item.configuration;
  return {
    identifier: text(field(configuration, 'EndpointIdentifier')) ?? item.resourceName ?? item.resourceId,
    arn: item.ARN ?? text(field(configuration, 'Id')),
    engineName: text(field(configuration, 'EngineName')),
    endpointType: text(field(configuration, 'EndpointType'))?.toLowerCase(),
    authType: text(field(configuration, 'MongoDbSettings', 'AuthType')),
    authMechanism: text(field(configuration, 'MongoDbSettings', 'AuthMechanism')),
    region: item.awsRegion,
  };
}
