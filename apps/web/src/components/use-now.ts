"use client";

import { useEffect, useState } from "react";

/** The current time, refreshed every `intervalMs` while `isTicking` (for elapsed times that count up). */
export function useNow(isTicking: boolean, intervalMs = 1_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!isTicking) return;
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [isTicking, intervalMs]);
  return now;
}
