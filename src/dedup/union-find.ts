/**
 * Connected components over documents numbered 0 … n − 1, in typed arrays (4 bytes per document),
 * with union by index and path halving: no recursion, no per-document objects.
 */
export class UnionFind {
  readonly parent: Uint32Array;

  constructor(readonly size: number) {
    this.parent = new Uint32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }

  /** Links the components of a and b; the smaller root index becomes the root, so results do not depend on the order of unions. */
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }
}
