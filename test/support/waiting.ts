/** Waiting in interop tests: on real processes, never on a fake clock. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every `everyMs` until it returns something other than undefined; throws naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(everyMs);
  }
}
