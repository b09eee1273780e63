/**
 * A Neptune cluster answering unsigned requests: the seed's trap, since Neptune has no passwords. The emulator refuses
 * IAM database authentication on Neptune clusters (moto 5.2 allows it for aurora-* engines only), so the estate has
 * no compliant Neptune cluster; that side is covered by the rule's fixture tests.
 */
import { CreateDBClusterCommand, NeptuneClient } from '@aws-sdk/client-neptune';
import type { RuleSample, SampleClientSettings } from '../core/sample';

export async function seedNeptune(settings: SampleClientSettings): Promise<void> {
  const client = new NeptuneClient(settings);
  await client.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: 'fraud-graph',
      Engine: 'neptune',
      StorageEncrypted: true,
      Tags: [{ Key: 'owner', Value: 'risk' }],
    }),
  );
}

export const sample: RuleSample = { event: 'neptune-iam-auth-off.json', seed: seedNeptune };
