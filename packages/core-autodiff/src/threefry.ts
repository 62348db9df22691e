// Threefry-2x32 (Salmon et al. 2011, Random123), the counter-based generator under every random draw.

/**
 * @internal Threefry-2x32 block (20 rounds): encrypts (x0, x1) under key (k0, k1); writes the two words to
 * out[o], out[o+1]. Unrolled (rotation constants inline, key schedule in locals): dropout masks
 * and noise draw one block per two words, so this loop is the cost of every random draw.
 */
export function threefry(k0: number, k1: number, x0: number, x1: number, out: Uint32Array, o: number): void {
  const k2 = (k0 ^ k1 ^ 0x1bd11bda) >>> 0;
  x0 = (x0 + k0) >>> 0;
  x1 = (x1 + k1) >>> 0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k1) >>> 0;
  x1 = (x1 + k2 + 1) >>> 0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k2) >>> 0;
  x1 = (x1 + k0 + 2) >>> 0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k0) >>> 0;
  x1 = (x1 + k1 + 3) >>> 0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k1) >>> 0;
  x1 = (x1 + k2 + 4) >>> 0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) >>> 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k2) >>> 0;
  x1 = (x1 + k0 + 5) >>> 0;
  out[o] = x0;
  out[o + 1] = x1;
}


const ROT = [13, 15, 26, 6, 17, 29, 16, 24];

/**
 * @internal Threefry-2x32 with `rounds` rounds (Random123's schedule: rotation ROT[r mod 8] in round
 * r, key injection k after round 4k − 1), for the 13-round variant (20 rounds equal `threefry`).
 */
export function threefryRounds(rounds: number, k0: number, k1: number, x0: number, x1: number, out: Uint32Array, o: number): void {
  const ks = [k0, k1, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  x0 = (x0 + k0) >>> 0;
  x1 = (x1 + k1) >>> 0;
  for (let r = 0; r < rounds; r++) {
    const s = ROT[r % 8]!;
    x0 = (x0 + x1) >>> 0;
    x1 = (((x1 << s) | (x1 >>> (32 - s))) ^ x0) >>> 0;
    if (r % 4 === 3) {
      const i = (r + 1) / 4;
      x0 = (x0 + ks[i % 3]!) >>> 0;
      x1 = (x1 + ks[(i + 1) % 3]! + i) >>> 0;
    }
  }
  out[o] = x0;
  out[o + 1] = x1;
}
