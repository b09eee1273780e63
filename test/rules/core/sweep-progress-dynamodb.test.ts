/**
 * The sweep's progress records in moto_server's DynamoDB: the cycle record round-trips under version conditions,
 * a part and the cursor are written together or not at all, and a part reads back exactly as it was planned.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { StateStoreError } from '../../../rules/core/errors';
import { StateStore } from '../../../rules/core/state-store';
import { packHeld, unpackHeld } from '../../../rules/core/held-snapshot';
import { NO_CYCLE, type CycleRecord } from '../../../rules/core/sweep-progress';
import { DynamoCycleStore } from '../../../rules/core/sweep-progress-dynamodb';
import { useEmulator } from '../../helpers/emulator';
import { TABLE, createStateTable, motoDynamo } from '../../helpers/dynamodb';
import { fastRetry } from './support';

const SCOPE = {
  ruleName: 'authn-apigwv2-route-authorization',
  accountId: '444455556666',
  region: 'eu-west-1',
};
const AT = new Date('2026-10-04T00:00:00.000Z');

function evaluation(index: number, compliance: 'COMPLIANT' | 'NON_COMPLIANT') {
  return {
    ComplianceResourceType: 'AWS::ApiGatewayV2::Route',
    ComplianceResourceId: `arn:aws:apigateway:eu-west-1::/apis/api${index}/routes/r${index}`,
    ComplianceType: compliance,
    ...(compliance === 'NON_COMPLIANT'
      ? { Annotation: `Route GET /items/${index} of orders has no authorization. Fix: set JWT.` }
      : {}),
    OrderingTimestamp: AT,
  };
}

describe('rules/core/sweep-progress (against moto_server DynamoDB)', function () {
  this.timeout(30_000);
  const emulator = useEmulator();
  let client: DynamoDBClient;
  let progress: DynamoCycleStore;

  beforeEach(async () => {
    client = motoDynamo(emulator.current().endpoint);
    await createStateTable(client);
    progress = new DynamoCycleStore(new StateStore(client, TABLE, fastRetry().policy), SCOPE);
  });

  it('has no cycle record before the first sweep, and reads back what was written', async () => {
    // Prepare
    const record: CycleRecord = {
      ...NO_CYCLE,
      cycleId: AT.toISOString(),
      cursor: 'api7',
      parts: 3,
      version: 1,
    };
    // Act
    const before = await progress.read();
    await progress.write(record, undefined);
    const after = await progress.read();
    // Assess
    expect(before).to.be.undefined;
    expect(after).to.deep.equal(record);
  });

  it('writes a part with the new cursor in one transaction, and reads the part back as planned', async () => {
    // Prepare: 3,000 evaluations (a group's worth), one in three failing.
    const start: CycleRecord = { ...NO_CYCLE, cycleId: AT.toISOString(), version: 1 };
    await progress.write(start, undefined);
    const send = Array.from({ length: 3_000 }, (_, index) =>
      evaluation(index, index % 3 === 0 ? 'NON_COMPLIANT' : 'COMPLIANT'),
    );
    const part = { found: send.map((e) => `${e.ComplianceResourceType}|${e.ComplianceResourceId}`), send };
    // Act
    await progress.commitPart(
      0,
      part,
      { ...start, cursor: 'api2999', parts: 1, pendingPart: 0, version: 2 },
      1,
    );
    const record = await progress.read();
    const [back] = await progress.readParts(start.cycleId, [0]);
    // Assess
    expect(record).to.include({ cursor: 'api2999', parts: 1, pendingPart: 0, version: 2 });
    expect(back).to.deep.equal(part);
  });

  it('writes neither the part nor the cursor when the cycle record changed meanwhile (a conflict)', async () => {
    // Prepare: another invocation moved the record to version 2.
    const start: CycleRecord = { ...NO_CYCLE, cycleId: AT.toISOString(), version: 1 };
    await progress.write(start, undefined);
    await progress.write({ ...start, leaseOwner: 'other', version: 2 }, 1);
    const part = { found: ['AWS::ApiGatewayV2::Route|x'], send: [evaluation(1, 'COMPLIANT')] };
    // Act
    const outcome = await progress
      .commitPart(0, part, { ...start, cursor: 'api1', parts: 1, version: 2 }, 1)
      .catch((error: unknown) => error);
    const parts = await progress.readParts(start.cycleId, [0]).catch((error: unknown) => error);
    // Assess
    expect(outcome).to.be.instanceOf(StateStoreError).with.property('conflict', true);
    expect((await progress.read())?.cursor).to.equal('');
    expect(parts).to.be.instanceOf(StateStoreError);
    expect((parts as Error).message).to.match(/part 0 of cycle .* is missing/);
  });

  it('keeps a snapshot of 100,000 held results in chunks and reads it back exactly; one the record names but the table lacks is a StateStoreError', async () => {
    // Prepare: 100,000 results (a few MB of JSON), one in three failing with its own annotation.
    const results = Array.from({ length: 100_000 }, (_, index) => ({
      resourceType: 'AWS::ApiGatewayV2::Route',
      resourceId: `arn:aws:apigateway:eu-west-1::/apis/api${index}/routes/r${index}`,
      compliance: index % 3 === 0 ? ('NON_COMPLIANT' as const) : ('COMPLIANT' as const),
      ...(index % 3 === 0 ? { annotation: `Route GET /items/${index} has no authorization.` } : {}),
      recordedAt: new Date(AT.getTime() - index * 1_000),
    }));
    const cycleId = AT.toISOString();
    // Act
    const ref = await progress.writeHeld(cycleId, packHeld(results));
    const back = unpackHeld(await progress.readHeld(cycleId, { ...ref, readAt: 0 }), 'snapshot');
    const missing = await progress
      .readHeld(cycleId, { id: 'not-written', chunks: 1, readAt: 0 })
      .catch((error: unknown) => error);
    const short = await progress
      .readHeld(cycleId, { ...ref, chunks: ref.chunks + 1, readAt: 0 })
      .catch((error: unknown) => error);
    // Assess
    expect(ref.chunks).to.be.above(1);
    expect(back).to.deep.equal(results);
    expect(missing).to.be.instanceOf(StateStoreError);
    expect((missing as Error).message).to.match(/snapshot not-written .* is missing or incomplete/);
    expect(short).to.be.instanceOf(StateStoreError);
  });

  it("returns the targeted runs' notes made at a time or later, oldest first, with every key", async () => {
    // Prepare: three notes a minute apart; the last names 20,000 resources.
    const many = Array.from({ length: 20_000 }, (_, index) => `AWS::ApiGatewayV2::Route|r${index}`);
    await progress.noteHeldChange(['AWS::ApiGatewayV2::Route|early'], new Date(AT.getTime()));
    await progress.noteHeldChange(['AWS::ApiGatewayV2::Route|middle'], new Date(AT.getTime() + 60_000));
    await progress.noteHeldChange(many, new Date(AT.getTime() + 120_000));
    // Act
    const fromMiddle = await progress.heldChanges(AT.getTime() + 60_000);
    const all = await progress.heldChanges(0);
    const none = await progress.heldChanges(AT.getTime() + 180_000);
    // Assess
    expect(fromMiddle.map((note) => note.keys)).to.deep.equal([['AWS::ApiGatewayV2::Route|middle'], many]);
    expect(all).to.have.length(3);
    expect(none).to.deep.equal([]);
  });
});
