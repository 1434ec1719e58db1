import { createHash, type Hash } from 'node:crypto';
import type { HashKind } from '../catalog/manifest/storage.js';
import { threadedHashes, type NativeHashKind } from './hash-threads.js';

/** A streaming hash in the vendor's own encoding: quickxor and crc32c base64, the rest hex. */
export type StorageHash = { update(chunk: Uint8Array): void; digest(): string };

/**
 * Microsoft's QuickXorHash (OneDrive for Business, SharePoint): each byte is XORed into a 160-bit circular vector
 * at bit `11 × its index`, and the length (64-bit little-endian) is XORed into the last 8 bytes; base64. As the
 * reference in Microsoft's OneDrive docs ("QuickXorHash" code snippet) computes it.
 */
class QuickXorHash implements StorageHash {
  private readonly cells = new Uint8Array(20);
  private length = 0;
  private shift = 0;

  update(chunk: Uint8Array): void {
    const cells = this.cells;
    let shift = this.shift;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (b !== 0) {
        const at = shift >>> 3;
        const offset = shift & 7;
        cells[at] = (cells[at] as number) ^ ((b << offset) & 0xff);
        if (offset !== 0) {
          const next = at === 19 ? 0 : at + 1;
          cells[next] = (cells[next] as number) ^ (b >>> (8 - offset));
        }
      }
      shift += 11;
      if (shift >= 160) shift -= 160;
    }
    this.shift = shift;
    this.length += chunk.length;
  }

  digest(): string {
    const out = Buffer.from(this.cells);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(this.length));
    for (let i = 0; i < 8; i++) out[12 + i] = (out[12 + i] as number) ^ (length[i] as number);
    return out.toString('base64');
  }
}

/**
 * Dropbox's content hash: SHA-256 of each 4 MiB block, then SHA-256 of those digests concatenated; hex (Dropbox's
 * "Content hash" reference page).
 */
class DropboxContentHash implements StorageHash {
  static readonly BLOCK = 4 * 1024 * 1024;
  private readonly overall = createHash('sha256');
  private block = createHash('sha256');
  private inBlock = 0;

  update(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(DropboxContentHash.BLOCK - this.inBlock, chunk.length - at);
      this.block.update(chunk.subarray(at, at + take));
      this.inBlock += take;
      at += take;
      if (this.inBlock === DropboxContentHash.BLOCK) this.endBlock();
    }
  }

  private endBlock(): void {
    this.overall.update(this.block.digest());
    this.block = createHash('sha256');
    this.inBlock = 0;
  }

  digest(): string {
    if (this.inBlock > 0) this.endBlock();
    return this.overall.digest('hex');
  }
}

/** CRC-32C (Castagnoli), as GCS reports it: the 4 bytes big-endian, base64. */
class Crc32c implements StorageHash {
  private static table = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();
  private crc = 0xffffffff;

  update(chunk: Uint8Array): void {
    const table = Crc32c.table;
    let crc = this.crc;
    for (let i = 0; i < chunk.length; i++) crc = (table[(crc ^ (chunk[i] as number)) & 0xff] as number) ^ (crc >>> 8);
    this.crc = crc;
  }

  digest(): string {
    const out = Buffer.alloc(4);
    out.writeUInt32BE((this.crc ^ 0xffffffff) >>> 0);
    return out.toString('base64');
  }
}

class NodeHash implements StorageHash {
  private readonly hash: Hash;
  constructor(algorithm: 'md5' | 'sha1' | 'sha256') {
    this.hash = createHash(algorithm);
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

export function createStorageHash(kind: HashKind): StorageHash {
  switch (kind) {
    case 'quickxor':
      return new QuickXorHash();
    case 'dropbox':
      return new DropboxContentHash();
    case 'crc32c':
      return new Crc32c();
    case 'md5':
    case 'sha1':
    case 'sha256':
      return new NodeHash(kind);
  }
}

/** A vendor's hash value as we compare it: hex in lower case; base64 kinds as they are. */
export function normaliseHash(kind: HashKind, value: string): string {
  return kind === 'quickxor' || kind === 'crc32c' ? value.trim() : value.trim().toLowerCase();
}

/**
 * Several hashes over the same bytes at once: the SHA-256 the files store keys bytes by, and the vendor's hash that
 * verifies them. The native ones (MD5, SHA-1, SHA-256) run on worker threads (hash-threads.ts), beside the download;
 * the others (QuickXorHash, the Dropbox content hash, CRC-32C) here. `update` waits while the threads are behind.
 */
export function createHashes(kinds: readonly HashKind[]) {
  const all = [...new Set<HashKind>(['sha256', ...kinds])];
  const native = all.filter((k): k is NativeHashKind => k === 'md5' || k === 'sha1' || k === 'sha256');
  const local = all.filter((k) => !native.includes(k as NativeHashKind)).map((k) => [k, createStorageHash(k)] as const);
  const threaded = threadedHashes(native);
  return {
    update(chunk: Uint8Array): Promise<void> {
      for (const [, hash] of local) hash.update(chunk);
      return threaded.update(chunk);
    },
    async digest(): Promise<Partial<Record<HashKind, string>>> {
      const digests: Partial<Record<HashKind, string>> = await threaded.digest();
      for (const [kind, hash] of local) digests[kind] = hash.digest();
      return digests;
    },
    /** Abandon these hashes (a download given up): their thread forgets them. */
    drop: () => threaded.drop(),
  };
}

export type Hashes = ReturnType<typeof createHashes>;
