/**
 * The state table against moto_server's DynamoDB: the key schema every record kind shares, conditional writes that
 * lose to another invocation as conflicts, expired items unseen, and failures that are StateStoreErrors,
 * never an empty answer.
 */
import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { fastRetry } from './support';
import { StateStoreError } from '../../../rules/core/errors';
import {
  PARTITION_KEY,
  SORT_KEY,
  STATE_TABLE_VARIABLE,
  StateStore,
  TTL_ATTRIBUTE,
  partitionKey,
  stateTableFromEnvironment,
} from '../../../rules/core/state-store';
import { TABLE, createStateTable, motoDynamo } from '../../helpers/dynamodb';
import { useEmulator } from '../../helpers/emulator';

const SCOPE = {
  ruleName: 'authn-apigwv2-route-authorization',
  accountId: '444455556666',
  region: 'eu-west-1',
};

describe('rules/core/state-store (against moto_server DynamoDB)', function () {
  this.timeout(30_000);
  const emulator = useEmulator();
  let client: DynamoDBClient;
  let store: StateStore;
  let now = new Date('2026-10-04T06:30:00.000Z');

  beforeEach(async () => {
    now = new Date('2026-10-04T06:30:00.000Z');
    client = motoDynamo(emulator.current().endpoint);
    await createStateTable(client);
    store = new StateStore(client, TABLE, fastRetry().policy, () => now);
  });

  it('keys records by rule, account, Region and kind, so other kinds live beside the sweep', () => {
    // Act
    const sweep = partitionKey(SCOPE, 'sweep');
    const changed = partitionKey(SCOPE, 'changed');
    // Assess
    expect(sweep).to.equal('authn-apigwv2-route-authorization#444455556666#eu-west-1#sweep');
    expect(changed).to.equal('authn-apigwv2-route-authorization#444455556666#eu-west-1#changed');
  });

  it('writes, reads back and queries by sort-key prefix, every page', async () => {
    // Prepare: 30 items of ~40 KB each are more than one 1 MB Query page.
    const pk = partitionKey(SCOPE, 'changed');
    for (let index = 0; index < 30; index += 1) {
      await store.put({
        [PARTITION_KEY]: { S: pk },
        [SORT_KEY]: { S: `api#${String(index).padStart(2, '0')}` },
        data: { B: randomBytes(40_000) },
      });
    }
    await store.put({ [PARTITION_KEY]: { S: pk }, [SORT_KEY]: { S: 'other' } });
    // Act
    const found = await store.query(pk, 'api#');
    const one = await store.get(pk, 'api#07');
    const none = await store.get(pk, 'api#99');
    // Assess
    expect(found.map((item) => item[SORT_KEY]?.S)).to.deep.equal(
      Array.from({ length: 30 }, (_, index) => `api#${String(index).padStart(2, '0')}`),
    );
    expect(one?.[SORT_KEY]?.S).to.equal('api#07');
    expect(none).to.be.undefined;
  });

  it('does not return an item whose expiresAt has passed (DynamoDB deletes expired items only eventually)', async () => {
    // Prepare
    const pk = partitionKey(SCOPE, 'sweep');
    await store.put({
      [PARTITION_KEY]: { S: pk },
      [SORT_KEY]: { S: 'cycle' },
      [TTL_ATTRIBUTE]: store.expiresAt(1),
    });
    // Act
    const before = await store.get(pk, 'cycle');
    now = new Date(now.getTime() + 2 * 86_400_000);
    const after = await store.get(pk, 'cycle');
    const listed = await store.query(pk, 'cy');
    // Assess
    expect(before).to.not.be.undefined;
    expect(after).to.be.undefined;
    expect(listed).to.deep.equal([]);
  });

  it('refuses a conditional write that another writer beat, as a conflict', async () => {
    // Prepare
    const pk = partitionKey(SCOPE, 'sweep');
    const put = (version: number, expected?: number): TransactWriteItem => ({
      Put: {
        TableName: TABLE,
        Item: { [PARTITION_KEY]: { S: pk }, [SORT_KEY]: { S: 'cycle' }, version: { N: String(version) } },
        ...(expected === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': { N: String(expected) } },
            }),
      },
    });
    await store.writeAll([put(1)], 'first');
    // Act
    const again = await store.writeAll([put(1)], 'create again').catch((error: unknown) => error);
    const stale = await store
      .writeAll([put(3, 2)], 'update from a stale read')
      .catch((error: unknown) => error);
    await store.writeAll([put(2, 1)], 'update from the current read');
    // Assess
    expect(again).to.be.instanceOf(StateStoreError).with.property('conflict', true);
    expect(stale).to.be.instanceOf(StateStoreError).with.property('conflict', true);
    expect((await store.get(pk, 'cycle'))?.version?.N).to.equal('2');
  });

  it('fails loudly when the table cannot be read or written (here: it does not exist)', async () => {
    // Prepare
    const missing = new StateStore(client, 'no-such-table', fastRetry().policy);
    // Act
    const read = await missing.get('pk', 'sk').catch((error: unknown) => error);
    const query = await missing.query('pk', '').catch((error: unknown) => error);
    const write = await missing.put({ pk: { S: 'a' }, sk: { S: 'b' } }).catch((error: unknown) => error);
    // Assess
    for (const error of [read, query, write]) {
      expect(error).to.be.instanceOf(StateStoreError).with.property('conflict', false);
      expect((error as Error).message).to.match(
        /state table no-such-table: could not .*ResourceNotFoundException/,
      );
    }
  });

  it('reads the table name from AUTHN_PACK_STATE_TABLE, none when it is absent or empty', () => {
    // Assess
    expect(stateTableFromEnvironment({ [STATE_TABLE_VARIABLE]: ' t1 ' })).to.equal('t1');
    expect(stateTableFromEnvironment({ [STATE_TABLE_VARIABLE]: '' })).to.be.undefined;
    expect(stateTableFromEnvironment({})).to.be.undefined;
  });
});
