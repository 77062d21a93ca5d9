/**
 * An abort controller that also follows an outside signal. Used instead of `AbortSignal.any`, whose
 * composite signals stay referenced by a long-lived source signal on some Node 20 releases.
 */
export function linkedController(source: AbortSignal | undefined): {
  controller: AbortController;
  unlink(): void;
} {
  const controller = new AbortController();
  if (source === undefined) return { controller, unlink: () => undefined };
  if (source.aborted) {
    controller.abort(source.reason);
    return { controller, unlink: () => undefined };
  }
  const forward = (): void => controller.abort(source.reason);
  source.addEventListener("abort", forward, { once: true });
  return { controller, unlink: () => source.removeEventListener("abort", forward) };
}
