import { expect } from 'chai';
import { dmsMongodbAuthentication as rule } from '../../../rules/dms-mongodb-authentication/rule';
import { planTable, type PlannedResource } from '../../helpers/plans';

const endpoint = (
  after: Record<string, unknown>,
  unknown: Record<string, unknown> = {},
): PlannedResource => ({
  address: 'aws_dms_endpoint.source',
  after: {
    endpoint_id: 'orders-source',
    endpoint_type: 'source',
    engine_name: 'mongodb',
    password: 'TF-TEST-SECRET-4a7b',
    mongodb_settings: [],
    ...after,
  },
  unknown: { endpoint_arn: true, ...unknown },
  sensitive: { password: true },
});

describe('DMS.11 terraform adapter', () => {
  planTable(rule, [
    {
      title:
        'the provider’s mongodb-cr spelling is the legacy MONGODB-CR mechanism: COMPLIANT, with the advice',
      resources: [endpoint({ mongodb_settings: [{ auth_type: 'password', auth_mechanism: 'mongodb-cr' }] })],
      resourceId: 'aws_dms_endpoint.source',
      compliance: 'COMPLIANT',
      annotation: /MONGODB-CR, a legacy MongoDB 2\.x mechanism/,
      also: (finding) => expect(JSON.stringify(finding)).not.to.include('TF-TEST-SECRET-4a7b'),
    },
    {
      title: 'mongodb_settings known only after apply cannot be verified',
      resources: [endpoint({}, { mongodb_settings: true })],
      resourceId: 'aws_dms_endpoint.source',
      compliance: 'NON_COMPLIANT',
      annotation: /cannot be verified before deploy: mongodb_settings is known only after apply/,
    },
    {
      title: 'an engine known only after apply cannot be verified',
      resources: [endpoint({ engine_name: null }, { engine_name: true })],
      resourceId: 'aws_dms_endpoint.source',
      compliance: 'NON_COMPLIANT',
      annotation: /engine_name is known only after apply/,
    },
    {
      title: 'MongoDB with no settings block sends no authentication type → NON_COMPLIANT',
      resources: [endpoint({ mongodb_settings: [] })],
      resourceId: 'aws_dms_endpoint.source',
      compliance: 'NON_COMPLIANT',
      annotation: /authentication type not set/,
    },
  ]);
});
