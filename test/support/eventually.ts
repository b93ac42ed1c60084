/** Polls `check` every 50 ms until it holds, for at most 20 s (a bound, not a timing assertion). */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("condition not reached in 20 s");
}
