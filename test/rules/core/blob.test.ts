/** Large state-table values as gzip chunks: each fits an item, and a value with a chunk missing is refused. */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { CHUNK_BYTES, packBlob, unpackBlob } from '../../../rules/core/blob';
import { StateStoreError } from '../../../rules/core/errors';

describe('rules/core/blob', () => {
  it('cuts a large value into chunks that each fit an item, and refuses a value with a chunk missing', () => {
    // Prepare: random hex compresses only to about half, so this is more than one chunk.
    const value = { ids: Array.from({ length: 12_000 }, () => randomBytes(32).toString('hex')) };
    // Act
    const chunks = packBlob(value);
    const back = unpackBlob(chunks, 'test value');
    const broken = () => unpackBlob([chunks[0], undefined, ...chunks.slice(2)], 'test value');
    // Assess
    expect(chunks.length).to.be.greaterThan(1);
    for (const chunk of chunks) expect(chunk.length).to.be.at.most(CHUNK_BYTES);
    expect(back).to.deep.equal(value);
    expect(broken).to.throw(StateStoreError, /test value is missing a chunk/);
  });
});
