import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHashes, createStorageHash } from './hashes.js';

const hashOf = (kind: Parameters<typeof createStorageHash>[0], bytes: Uint8Array, blockSize = bytes.length || 1) => {
  const hash = createStorageHash(kind);
  for (let i = 0; i < bytes.length; i += blockSize) hash.update(bytes.subarray(i, i + blockSize));
  return hash.digest();
};

describe('storage hashes', () => {
  // Published QuickXorHash vectors (input and digest, base64), as rclone's OneDrive backend tests them.
  const vectors: [string, string][] = [
    ['', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['Sg==', 'SgAAAAAAAAAAAAAAAQAAAAAAAAA='],
    ['tbQ=', 'taAFAAAAAAAAAAAAAgAAAAAAAAA='],
    ['2fuxhBJXtpWFe8dOfdGeHw==', 'O9tHLAghgSvYohKFyMMxnNCHaHg='],
    ['T6LYJIfDh81JrAK309H2JMJTXis=', 'zBTHrspn3mEcohlJdIUAbjGNaNg='],
    [
      'jyibxJSzO6ZiZ0O1qe3tG/bvIAYssvukh9suIT5wEy1JBINVgPiqdsTW0cOpP0aUfP7mgqLfADkzI/m/GgCuVhr8oFLrOCoTx1/psBOWwhltCbhUx51Icm9aH8tY4Z3ccU+6BKpYQkLCy0B/A9Zc',
      'hZfLIilSITC6N3e3tQ/iSgEzkto=',
    ],
    [
      'qwGf2ESubE5jOUHHyc94ORczFYYbc2OmEzo+hBIyzJiNwAzC8PvJqtTzwkWkSslgHFGWQZR2BV5+uYTrYT7HVwRM40vqfj0dBgeDENyTenIOL1LHkjtDKoXEnQ0mXAHoJ8PjbNC93zi5TovVRXTNzfGEs5dpWVqxUzb5lc7dwkyvOluBw482mQ4xrzYyIY1t+//OrNi1ObGXuUw2jBQOFfJVj2Y6BOyYmfB1y36eBxi3zxeG5d5NYjm2GSh6e08QMAwu3zrINcqIzLOuNIiGXBtl7DjKt7b5wqi4oFiRpZsCyx2smhSrdrtK/CkdU6nDN+34vSR/M8rZpWQdBE7a8g==',
      'WYT9JY3JIo/pEBp+tIM6Gt2nyTM=',
    ],
  ];

  it('computes QuickXorHash as published, whatever the chunking', () => {
    for (const [input, digest] of vectors) {
      const bytes = Buffer.from(input, 'base64');
      for (const block of [1, 3, 7, 64, 161, 1000]) expect(hashOf('quickxor', bytes, block)).toBe(digest);
    }
  });

  it('computes the Dropbox content hash over 4 MiB blocks, across chunk boundaries', () => {
    const bytes = Buffer.alloc(9 * 1024 * 1024 + 123);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    const block = 4 * 1024 * 1024;
    const digests = [0, block, 2 * block].map((at) =>
      createHash('sha256')
        .update(bytes.subarray(at, at + block))
        .digest(),
    );
    const expected = createHash('sha256').update(Buffer.concat(digests)).digest('hex');
    expect(hashOf('dropbox', bytes, 1_000_003)).toBe(expected);
    expect(hashOf('dropbox', bytes, block)).toBe(expected);
    // An empty file: the hash of no block digests.
    expect(hashOf('dropbox', Buffer.alloc(0))).toBe(createHash('sha256').digest('hex'));
  });

  it('computes CRC-32C as GCS reports it (the check value of "123456789" is e3069283)', () => {
    expect(Buffer.from(hashOf('crc32c', Buffer.from('123456789')), 'base64').toString('hex')).toBe('e3069283');
  });

  it('hashes once for several kinds, always with SHA-256 (native ones on worker threads)', async () => {
    const hashes = createHashes(['md5', 'quickxor']);
    await hashes.update(Buffer.from('hello '));
    await hashes.update(Buffer.from('world'));
    expect(await hashes.digest()).toEqual({
      quickxor: hashOf('quickxor', Buffer.from('hello world')),
      sha256: createHash('sha256').update('hello world').digest('hex'),
      md5: createHash('md5').update('hello world').digest('hex'),
    });
  });

  it('hashes views of part of a buffer as their own bytes', async () => {
    const big = randomBytes(1 << 20);
    const small = randomBytes(1 << 16);
    const parts = [big.subarray(100, 70_000), small.subarray(5, 17), big, small.subarray(60_000)];
    const hashes = createHashes(['md5']);
    for (const part of parts) await hashes.update(part);
    const expected = (kind: string) => {
      const hash = createHash(kind);
      for (const part of parts) hash.update(part);
      return hash.digest('hex');
    };
    expect(await hashes.digest()).toEqual({ sha256: expected('sha256'), md5: expected('md5') });
  });
});
