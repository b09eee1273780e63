/** The sample MSK clusters: unauthenticated access beside IAM, and IAM alone. */
import { CreateClusterCommand, KafkaClient } from '@aws-sdk/client-kafka';
import type { RuleSample, SampleClientSettings } from '../core/sample';

export async function seedKafka(settings: SampleClientSettings): Promise<void> {
  const client = new KafkaClient(settings);
  const brokerNodeGroupInfo = {
    InstanceType: 'kafka.m7g.large',
    ClientSubnets: ['subnet-0a1', 'subnet-0b2'],
  };
  // CreateCluster, not CreateClusterV2: the emulator's V2 call drops ClientAuthentication.
  await client.send(
    new CreateClusterCommand({
      ClusterName: 'clickstream',
      KafkaVersion: '3.5.1',
      NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: brokerNodeGroupInfo,
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: true } },
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
    }),
  );
  await client.send(
    new CreateClusterCommand({
      ClusterName: 'payments-events',
      KafkaVersion: '3.5.1',
      NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: brokerNodeGroupInfo,
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: false } },
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
    }),
  );
}

export const sample: RuleSample = { event: 'msk-unauthenticated-beside-iam.json', seed: seedKafka };
