/** Latency statistics and the HTTP/SSE readers the web benchmark measures with. */
/** The largest value; a spread (`Math.max(...values)`) overflows the stack for a 10-minute soak's 300,000 delays. */
export function largest(values: number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > max) max = value;
  return max;
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "–");

/** Request → body fully read. */
export async function timed(url: string): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  const elapsed = performance.now() - start;
  if (!response.ok)
    throw new Error(`${url}: HTTP ${response.status} ${new TextDecoder().decode(body).slice(0, 300)}`);
  return { ms: elapsed, bytes: body.byteLength };
}

/** Reads an SSE response, calling `onMessage` with each message's data; resolves when the stream ends. */
export async function readSse(
  response: Response,
  onMessage: (data: string, event: string | null) => boolean | undefined,
) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let data = "";
      let event: string | null = null;
      for (const line of message.split("\n")) {
        if (line.startsWith("data:")) data += line.slice(5).trimStart();
        else if (line.startsWith("event:")) event = line.slice(6).trim();
      }
      if (onMessage(data, event) === false) {
        await reader.cancel();
        return;
      }
      end = buffer.indexOf("\n\n");
    }
  }
}
