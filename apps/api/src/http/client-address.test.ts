// One bucket per client (T57): every spelling of an address is the same key, an IPv4-mapped IPv6
// address is its IPv4 address, and all addresses of one IPv6 /64 share a bucket.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalAddress, rateLimitBucket } from './client-address.js';

const hextets = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });
const full = (h: number[]) => h.map((x) => x.toString(16)).join(':');
/** Other valid spellings of the same IPv6 address: upper case, leading zeros, the longest zero run as `::`. */
function spellings(h: number[]): string[] {
  const upper = full(h).toUpperCase();
  const padded = h.map((x) => x.toString(16).padStart(4, '0')).join(':');
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (h[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && h[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const compressed = best.len >= 2 ? `${full(h.slice(0, best.at))}::${full(h.slice(best.at + best.len))}` : full(h);
  return [full(h), upper, padded, compressed];
}

describe('rate-limit buckets', () => {
  it('T57 every spelling of an IPv6 address lands in the bucket of its /64', () => {
    fc.assert(
      fc.property(hextets, fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 }), (h, host) => {
        fc.pre(!(h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff)); // not IPv4-mapped
        const buckets = new Set([...spellings(h), ...spellings([...h.slice(0, 4), ...host])].map(rateLimitBucket));
        expect(buckets.size).toBe(1);
      }),
    );
  });

  it('T57 an IPv4-mapped IPv6 address is the IPv4 address, in every spelling', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        for (const spelling of [
          `::ffff:${v4}`,
          `::FFFF:${v4}`,
          `0:0:0:0:0:ffff:${v4}`,
          `::ffff:${hex}`,
          `0000:0000:0000:0000:0000:FFFF:${hex.toUpperCase()}`,
        ]) {
          expect(canonicalAddress(spelling), spelling).toBe(v4);
          expect(rateLimitBucket(spelling), spelling).toBe(v4);
        }
      }),
    );
  });

  it('different /64s and different IPv4 addresses are different buckets', () => {
    expect(rateLimitBucket('2001:db8:0:1::1')).not.toBe(rateLimitBucket('2001:db8:0:2::1'));
    expect(rateLimitBucket('192.0.2.1')).not.toBe(rateLimitBucket('192.0.2.2'));
    expect(rateLimitBucket('fe80::1%eth0')).toBe(rateLimitBucket('fe80::2'));
  });
});
