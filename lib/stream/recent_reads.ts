/**
 * The two latest reads of a stream, kept for the end of the stream (where OpenCode's cost frame is looked
 * for). A lent read (a view into a buffer the next read reuses) is copied into one of two buffers kept for the
 * purpose, so remembering a read allocates nothing per read.
 */
export class RecentReads {
  #slots: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
  #views: (Uint8Array | undefined)[] = [undefined, undefined];

  note(chunk: Uint8Array, lent: boolean): void {
    this.#views[0] = this.#views[1];
    if (!lent) {
      this.#views[1] = chunk;
      return;
    }
    // The slot the older view does not use.
    const slot = this.#views[0] !== undefined && this.#views[0].buffer === this.#slots[1].buffer ? 0 : 1;
    if (this.#slots[slot].length < chunk.length) this.#slots[slot] = new Uint8Array(chunk.length * 2);
    this.#slots[slot].set(chunk);
    this.#views[1] = this.#slots[slot].subarray(0, chunk.length);
  }

  /** Oldest first, each a copy the caller may keep. */
  take(): Uint8Array[] {
    const reads = this.#views.filter((view): view is Uint8Array => view !== undefined).map((view) =>
      view.slice()
    );
    this.#views = [undefined, undefined];
    return reads;
  }
}
