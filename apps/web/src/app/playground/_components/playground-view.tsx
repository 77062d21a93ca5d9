"use client";

import { useEffect, useRef, useState } from "react";
import { PageHeader } from "~/components/page-header";
import { describeError } from "~/lib/errors";
import { useTRPCClient } from "~/trpc/react";
import {
  applyPlaygroundUpdate,
  IDLE_OUTPUT,
  type PlaygroundOutput,
  type PlaygroundRequest,
} from "../_lib/playground-state";
import { PlaygroundForm } from "./playground-form";
import { PlaygroundOutputView } from "./playground-output";

/** Ask a model something at a chosen context: load, stream the answer, unload — to see a limit in use. */
export function PlaygroundView() {
  const client = useTRPCClient();
  const [output, setOutput] = useState<PlaygroundOutput>(IDLE_OUTPUT);
  const subscription = useRef<{ unsubscribe: () => void } | null>(null);

  useEffect(() => () => subscription.current?.unsubscribe(), []);

  const send = (target: { hostId: number; modelKey: string }, request: PlaygroundRequest) => {
    subscription.current?.unsubscribe();
    setOutput({ ...IDLE_OUTPUT, phase: "streaming" });
    subscription.current = client.playground.respond.subscribe(
      { ...target, ...request },
      {
        onData: (update) => setOutput((current) => applyPlaygroundUpdate(current, update)),
        onError: (error) =>
          setOutput((current) => ({ ...current, phase: "error", error: describeError(error) })),
        // The link reconnects after a failure it deems passing (LM Studio's refusals and timeouts come as
        // gateway errors), which would ask LM Studio to load the model again every few seconds. An answer is
        // asked for once: the failure is shown, and the subscription ends.
        onConnectionStateChange: (state) => {
          if (state.state !== "connecting" || !state.error) return;
          subscription.current?.unsubscribe();
          subscription.current = null;
          setOutput((current) => ({ ...current, phase: "error", error: describeError(state.error) }));
        },
        onComplete: () =>
          setOutput((current) => (current.phase === "streaming" ? { ...current, phase: "done" } : current)),
      },
    );
  };

  const stop = () => {
    // Unsubscribing aborts the request; the server stops predicting and unloads the model.
    subscription.current?.unsubscribe();
    subscription.current = null;
    setOutput((current) => ({ ...current, phase: "stopped" }));
  };

  return (
    <>
      <PageHeader
        title="Playground"
        description="Load a model at a context length of your choice, ask it something and watch the answer stream."
      />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <PlaygroundForm isStreaming={output.phase === "streaming"} onSend={send} onStop={stop} />
        <PlaygroundOutputView output={output} />
      </div>
    </>
  );
}
