/**
 * Undoes one registration. Calling it twice is harmless.
 *
 * @example
 * ```ts
 * const off: Disposer = ctx.events.on('core:cog.started', () => {});
 * await off(); // the handler is gone; a second call does nothing
 * ```
 */
export type Disposer = () => void | Promise<void>;

/**
 * A stack of disposers run in reverse order of registration, each at most once.
 * Every registration a cog makes through its context lands here, so unloading
 * the cog (or rolling back a failed setup) leaves nothing behind.
 *
 * @example
 * ```ts
 * const stack = new DisposerStack();
 * const timer = setInterval(() => {}, 1000);
 * stack.add(() => clearInterval(timer));
 * const errors = await stack.disposeAll(); // [] when every disposer succeeded
 * ```
 */
export class DisposerStack {
  readonly #items: Disposer[] = [];
  #disposed = false;

  /** Whether {@link DisposerStack.disposeAll} has run. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Number of registrations still held. */
  get size(): number {
    return this.#items.length;
  }

  /**
   * Adds a disposer and returns a function that runs it early (and removes it from the stack).
   * Adding to a stack that was already disposed runs the disposer at once.
   */
  add(disposer: Disposer): Disposer {
    if (this.#disposed) {
      void Promise.resolve().then(disposer);
      return () => {};
    }
    let done = false;
    const once: Disposer = async () => {
      if (done) return;
      done = true;
      const i = this.#items.indexOf(once);
      if (i >= 0) this.#items.splice(i, 1);
      await disposer();
    };
    this.#items.push(once);
    return once;
  }

  /** Runs every disposer, newest first; returns the errors instead of throwing. */
  async disposeAll(): Promise<unknown[]> {
    this.#disposed = true;
    const errors: unknown[] = [];
    while (this.#items.length > 0) {
      const next = this.#items[this.#items.length - 1] as Disposer;
      try {
        await next();
      } catch (err) {
        errors.push(err);
      }
      // `once` removes itself; guard against a disposer that did not.
      if (this.#items[this.#items.length - 1] === next) this.#items.pop();
    }
    return errors;
  }
}
