import type { Step } from '../../src/index.ts';

/** A fake server for the batch engine: records each request's steps; `fail` decides which requests fail. */
export function recorder(fail: (steps: Step[], call: number) => Error | undefined = () => undefined, delayMs = 0) {
  const sent: Step[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  const send = async (steps: Step[]) => {
    const call = calls++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    inFlight--;
    const error = fail(steps, call);
    if (error) throw error;
    sent.push(steps);
    return call + 1;
  };
  return { send, sent, max: () => maxInFlight, inFlight: () => inFlight };
}
