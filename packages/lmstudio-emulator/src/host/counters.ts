export interface EmulatorCounters {
  /** Load attempts that got past model resolution (guardrail refusals included). */
  loadsStarted: number;
  loadsSucceeded: number;
  loadsFailed: number;
  loadsCancelled: number;
  /** Loads in progress right now. */
  concurrentLoads: number;
  /** Highest `concurrentLoads` since the last reset. */
  maxConcurrentLoads: number;
  /** Predictions started (predict + completeRawText channels that found their model). */
  predictions: number;
  predictionsSucceeded: number;
  predictionsFailed: number;
  /** Predictions stopped by the client (stopReason "userStopped"). */
  predictionsCancelled: number;
  concurrentPredictions: number;
  maxConcurrentPredictions: number;
  unloads: number;
  /** Instances lost to the `crashAbove` fault. */
  crashes: number;
  /** Times the `disconnectAfterLoads` fault dropped a client. */
  disconnects: number;
}

export function zeroCounters(): EmulatorCounters {
  return {
    loadsStarted: 0,
    loadsSucceeded: 0,
    loadsFailed: 0,
    loadsCancelled: 0,
    concurrentLoads: 0,
    maxConcurrentLoads: 0,
    predictions: 0,
    predictionsSucceeded: 0,
    predictionsFailed: 0,
    predictionsCancelled: 0,
    concurrentPredictions: 0,
    maxConcurrentPredictions: 0,
    unloads: 0,
    crashes: 0,
    disconnects: 0,
  };
}

/**
 * Zeroes the counters in place; `concurrent*` keep their live value and the maxima restart from it. In place,
 * because loads and predictions in flight hold this object and decrement their `concurrent*` when they end.
 */
export function resetCounters(counters: EmulatorCounters): void {
  const { concurrentLoads, concurrentPredictions } = counters;
  Object.assign(counters, zeroCounters(), {
    concurrentLoads,
    maxConcurrentLoads: concurrentLoads,
    concurrentPredictions,
    maxConcurrentPredictions: concurrentPredictions,
  });
}

/** Counts one more operation in progress and raises its maximum. */
export function startOne(counters: EmulatorCounters, kind: "Loads" | "Predictions"): void {
  counters[`concurrent${kind}`]++;
  counters[`maxConcurrent${kind}`] = Math.max(
    counters[`maxConcurrent${kind}`],
    counters[`concurrent${kind}`],
  );
}
