/**
 * Named one-shot timers (unref'd, so they never keep the process alive): scheduling a
 * name again replaces its timer; errors of a task go to `onError`.
 *
 * @example
 * ```ts
 * const timers = new NamedTimers((name, err) => log.warn({ err }, `${name} failed`));
 * timers.schedule('refresh', 60_000, () => keeper.refreshNow('due'));
 * timers.stop();
 * ```
 */
export class NamedTimers<N extends string> {
  readonly #timers = new Map<N, NodeJS.Timeout>();
  #stopped = false;

  constructor(private readonly onError: (name: N, err: unknown) => void) {}

  /** Runs `task` in `ms` (replacing a timer of the same name); no-op once stopped. */
  schedule(name: N, ms: number, task: () => unknown): void {
    if (this.#stopped) return;
    this.clear(name);
    const timer = setTimeout(() => {
      this.#timers.delete(name);
      void Promise.resolve()
        .then(task)
        .catch((err: unknown) => this.onError(name, err));
    }, ms);
    timer.unref();
    this.#timers.set(name, timer);
  }

  clear(...names: N[]): void {
    for (const name of names) {
      clearTimeout(this.#timers.get(name));
      this.#timers.delete(name);
    }
  }

  /** Clears every timer and refuses new ones. */
  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  get stopped(): boolean {
    return this.#stopped;
  }
}
