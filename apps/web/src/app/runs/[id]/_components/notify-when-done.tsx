"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "~/components/button";
import { isRunOver } from "~/lib/status";

type Opt = "off" | "asking" | "on" | "denied" | "unsupported";

/**
 * "Notify me when it ends": opt-in, since a browser asks the person for permission once. When the run's final
 * event arrives while the page is open, a browser notification says how it ended (also with the tab hidden).
 */
export function NotifyWhenDone({
  runId,
  status,
  hostName,
}: {
  runId: number;
  status: string;
  hostName: string;
}) {
  const [opt, setOpt] = useState<Opt>("off");
  const lastStatus = useRef(status);

  useEffect(() => {
    if (typeof Notification === "undefined") setOpt("unsupported");
  }, []);

  useEffect(() => {
    const wasOver = isRunOver(lastStatus.current);
    lastStatus.current = status;
    if (opt !== "on" || wasOver || !isRunOver(status)) return;
    new Notification(`Run #${runId} ${status}`, { body: `On ${hostName}`, tag: `lmstrix-run-${runId}` });
  }, [status, opt, runId, hostName]);

  const isOver = isRunOver(status);
  if (opt === "unsupported" || (isOver && opt !== "on")) return null;
  if (opt === "on") {
    return (
      <span className="text-sm text-slate-600">
        {isOver ? "Notified: the run has ended" : "You will be notified when it ends"}
      </span>
    );
  }
  if (opt === "denied") {
    return (
      <span className="text-sm text-slate-600">Notifications are blocked for this site in the browser</span>
    );
  }
  const askPermission = async () => {
    setOpt("asking");
    const permission = await Notification.requestPermission();
    setOpt(permission === "granted" ? "on" : "denied");
  };
  return (
    <Button size="sm" onClick={() => void askPermission()} disabled={opt === "asking"}>
      Notify me when it ends
    </Button>
  );
}
