/**
 * One pass at a time, none missed: `run()` while a pass is under way asks for one more pass
 * after it and shares its promise. A pass that throws is handed to `failed` and the loop goes
 * on with any pass asked for meanwhile. The outbox's drain and the job runner both work so.
 */
export function singleFlight(pass: () => Promise<void>, failed: (error: unknown) => void) {
  let running: Promise<void> | null = null;
  let again = false;
  return {
    run(): Promise<void> {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          try {
            await pass();
          } catch (error) {
            failed(error);
          }
        } while (again);
      })().finally(() => {
        running = null;
      });
      return running;
    },
    /** Resolves when no pass is under way. */
    idle: (): Promise<void> => running ?? Promise.resolve(),
  };
}
