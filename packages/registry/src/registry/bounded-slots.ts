/**
 * A fixed number of slots, and a bounded line of callers waiting in turn for one: past it, `take()`
 * throws what `refuse()` makes at once, instead of letting the line grow.
 *
 * @example
 * const slots = boundedSlots({ slots: 2, maxWaiting: 8, refuse: () => new Error('busy') });
 * await slots.take();
 * try { await work(); } finally { slots.give(); }
 */
export interface BoundedSlots {
  take(): Promise<void>;
  give(): void;
  /** Lets every waiting caller go on at once (at close, where what they meet is closed too). */
  drain(): void;
}

export interface BoundedSlotsOptions {
  slots: number;
  maxWaiting: number;
  refuse: () => Error;
}

export function boundedSlots(options: BoundedSlotsOptions): BoundedSlots {
  const waiting: Array<() => void> = [];
  let busy = 0;
  return {
    async take() {
      if (busy < options.slots) {
        busy += 1;
        return;
      }
      if (waiting.length >= options.maxWaiting) throw options.refuse();
      // The slot is handed over by give(), still counted as busy.
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    give() {
      const next = waiting.shift();
      if (next) next();
      else busy -= 1;
    },
    drain() {
      const released = waiting.splice(0);
      busy += released.length;
      for (const next of released) next();
    },
  };
}
