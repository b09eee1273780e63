/** The sample DMS endpoints: MongoDB without authentication, and with a password. */
import {
  CreateEndpointCommand,
  DatabaseMigrationServiceClient,
} from '@aws-sdk/client-database-migration-service';
import type { RuleSample, SampleClientSettings } from '../core/sample';

export async function seedDms(settings: SampleClientSettings): Promise<void> {
  const client = new DatabaseMigrationServiceClient(settings);
  await client.send(
    new CreateEndpointCommand({
      EndpointIdentifier: 'catalog-mongo-source',
      EndpointType: 'source',
      EngineName: 'mongodb',
      ServerName: 'mongo.catalog.internal',
      Port: 27017,
      DatabaseName: 'catalog',
      MongoDbSettings: { AuthType: 'no' },
    }),
  );
  await client.send(
    new CreateEndpointCommand({
      EndpointIdentifier: 'orders-mongo-target',
      EndpointType: 'target',
      EngineName: 'mongodb',
      ServerName: 'mongo.orders.internal',
      Port: 27017,
      DatabaseName: 'orders',
      MongoDbSettings: {
        AuthType: 'password',
        AuthMechanism: 'scram_sha_1',
        Username: 'dms',
        Password: 'not-a-real-secret',
      },
    }),
  );
}

export const sample: RuleSample = { event: 'dms-mongodb-no-auth.json', seed: seedDms };
