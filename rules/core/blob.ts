/** JSON values too large for one DynamoDB item, as gzip chunks (the state table's large records). */
import { gunzipSync, gzipSync } from 'node:zlib';
import { StateStoreError, describeError } from './errors';

/**
 * A DynamoDB item holds at most 400 KB (attribute names included); blobs are cut into chunks well below that, so a
 * chunk with its keys and header always fits.
 */
export const CHUNK_BYTES = 300_000;

/** A JSON value as gzip chunks of at most CHUNK_BYTES, for values larger than one item may hold. */
export function packBlob(value: unknown): Uint8Array[] {
  const bytes = gzipSync(JSON.stringify(value));
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES)
    chunks.push(bytes.subarray(start, start + CHUNK_BYTES));
  return chunks.length === 0 ? [new Uint8Array()] : chunks;
}

/** The value `packBlob` cut up; a missing or corrupt chunk is a StateStoreError, never a partial value. */
export function unpackBlob(chunks: readonly (Uint8Array | undefined)[], what: string): unknown {
  if (chunks.some((chunk) => chunk === undefined)) {
    throw new StateStoreError(`state table: ${what} is missing a chunk`);
  }
  try {
    return JSON.parse(gunzipSync(Buffer.concat(chunks as Uint8Array[])).toString('utf8')) as unknown;
  } catch (error) {
    throw new StateStoreError(`state table: ${what} cannot be read: ${describeError(error)}`, false, {
      cause: error,
    });
  }
}
