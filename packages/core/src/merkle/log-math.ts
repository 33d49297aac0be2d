/**
 * Integer helpers for tree sizes up to 2^53. JavaScript's bit operators truncate to 32 bits,
 * so halving and parity use arithmetic instead.
 */

const TWO_POW_32 = 2 ** 32;

/** Number of bits needed to write n (0 for 0). */
export function bitLength(n: number): number {
  return n < TWO_POW_32 ? 32 - Math.clz32(n) : 32 + bitLength(Math.floor(n / TWO_POW_32));
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** (bitLength(n) - 1) === n;
}

/** RFC 6962's k: the largest power of two strictly below n (n > 1). */
export function splitPoint(n: number): number {
  return 2 ** (bitLength(n - 1) - 1);
}

/**
 * The shape of an audit path for node fn on a level whose last node is sn, as walked by
 * RFC 9162 §2.1.3.2 and §2.1.4.2: one entry per proof hash, true when that hash is the left
 * sibling. Depends only on the sizes, so it also gives the exact proof length.
 */
export function auditPathSides(fn: number, sn: number): boolean[] {
  const sides: boolean[] = [];
  while (sn > 0) {
    const left = fn % 2 === 1 || fn === sn;
    sides.push(left);
    if (left) {
      // A last node without a right sibling is promoted unchanged until it becomes a right child.
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sides;
}
