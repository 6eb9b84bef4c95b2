/**
 * Work that runs on the event loop's own thread, taken about one task a turn of the loop, first come
 * first served. An SQLite search is 1–5 ms of synchronous statements behind promises that settle at
 * once, so it ends inside the callback that read its request: libuv then reads the next ready socket,
 * and 50 searches held one turn 150 ms. Meanwhile no other request was answered and, since libuv
 * accepts one connection a turn (1.45, in Node 20 and later), a client opening connections to a busy
 * server waited seconds for its first answer. Here a task starts at once only when none has started
 * in this turn and none waits; the others start one at a time, each from an immediate, so the loop
 * polls between two of them: cheap requests are answered and a connection is accepted.
 */
export interface TurnQueue {
  /** Runs `task` after those queued before it, at most one more in the turn one of them started. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks queued and not started. */
  readonly waiting: number;
}

export interface TurnQueueOptions {
  /** Tasks that may wait at once; past it `run` rejects with `full()` at once. */
  maxWaiting: number;
  full: () => Error;
}

export function createTurnQueue(options: TurnQueueOptions): TurnQueue {
  const queue: (() => void)[] = [];
  // A task runs, or the head of the queue is due to start from an immediate.
  let running = false;
  // A task started in this turn of the loop (cleared by an immediate: the turn's check phase).
  let turnTaken = false;
  const turnEnds = () => {
    turnTaken = false;
  };
  const startNext = () => {
    const next = queue.shift();
    if (next) next();
    else running = false;
  };
  const pump = () => {
    running = true;
    setImmediate(startNext);
  };
  return {
    async run(task) {
      if (running || turnTaken || queue.length > 0) {
        if (queue.length >= options.maxWaiting) throw options.full();
        await new Promise<void>((resolve) => {
          queue.push(resolve);
          if (!running) pump();
        });
      }
      running = true;
      if (!turnTaken) {
        turnTaken = true;
        setImmediate(turnEnds);
      }
      try {
        return await task();
      } finally {
        running = false;
        if (queue.length > 0) pump();
      }
    },
    get waiting() {
      return queue.length;
    },
  };
}
