// Loaded into the API process with `node --import` (the API's code is not changed for it): answers
// the runner's IPC "reset" / "read" with the event loop's delay percentiles since the last reset.
import { monitorEventLoopDelay } from 'node:perf_hooks';

if (process.send) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on('message', (message) => {
    if (message?.probe === 'event-loop-reset') histogram.reset();
    if (message?.probe === 'event-loop-read') {
      process.send({
        probe: 'event-loop',
        p50Ms: histogram.percentile(50) / 1e6,
        p99Ms: histogram.percentile(99) / 1e6,
        maxMs: histogram.max / 1e6,
      });
    }
  });
  // The IPC channel must not keep the API alive on its own.
  process.channel?.unref();
}
