/** One item waiting for its batch, and how to answer it. */
export interface Pending<Item, Result> {
  readonly item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Collects items by group during one turn of the event loop and hands each group over at the
 * end of it (setImmediate), in slices of at most `max`: whatever came in the same turn goes
 * together, and nothing waits for a timer, so a lone item goes at once. `send` answers every
 * item of the slice it is given.
 */
export class SameTurnBatches<Item, Result> {
  private readonly groups = new Map<string, Pending<Item, Result>[]>();
  private flushScheduled = false;

  constructor(
    private readonly max: number,
    private readonly send: (batch: Pending<Item, Result>[]) => void,
  ) {}

  add(group: string, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      let pending = this.groups.get(group);
      if (pending === undefined) this.groups.set(group, (pending = []));
      pending.push({ item, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const groups = [...this.groups.values()];
    this.groups.clear();
    for (const pending of groups) {
      for (let start = 0; start < pending.length; start += this.max) this.send(pending.slice(start, start + this.max));
    }
  }
}
