/**
 * Global and per-user cooldowns of chat commands, in memory (they are seconds long).
 *
 * @example
 * ```ts
 * const cd = new Cooldowns();
 * if (cd.ready('hug', 'bob', { user: 30, global: 5 })) cd.hit('hug', 'bob');
 * ```
 */
export class Cooldowns {
  readonly #globalUntil = new Map<string, number>();
  readonly #userUntil = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether the command may run now for this user. */
  ready(command: string, user: string, cooldown: { user?: number; global?: number }): boolean {
    const t = this.now();
    if (cooldown.global && (this.#globalUntil.get(command) ?? 0) > t) return false;
    if (cooldown.user && (this.#userUntil.get(`${command}\u0000${user}`) ?? 0) > t) return false;
    return true;
  }

  /** Records a run, starting its cooldowns. */
  hit(command: string, user: string, cooldown: { user?: number; global?: number }): void {
    const t = this.now();
    if (cooldown.global) this.#globalUntil.set(command, t + cooldown.global * 1000);
    if (cooldown.user) {
      this.#userUntil.set(`${command}\u0000${user}`, t + cooldown.user * 1000);
      if (this.#userUntil.size > 10_000) this.#sweep(t);
    }
  }

  #sweep(t: number): void {
    for (const [k, until] of this.#userUntil) if (until <= t) this.#userUntil.delete(k);
  }
}
