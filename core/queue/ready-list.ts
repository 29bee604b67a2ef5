/**
 * A first-in first-out list with O(1) push and shift, for thousands of ready jobs.
 *
 * @example
 * ```ts
 * const list = new ReadyList<string>();
 * list.push('a');
 * list.push('b');
 * list.shift(); // 'a'
 * ```
 */
export class ReadyList<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined as T;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

/**
 * Promises waiting for a condition, released all at once.
 *
 * @example
 * ```ts
 * const idle = new Waiters();
 * const done = idle.wait();
 * idle.release(); // done resolves
 * ```
 */
export class Waiters {
  #waiting: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}
