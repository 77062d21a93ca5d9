/**
 * The largest request body LMStrix reads, in MB. Next keeps only this much of a body that passes the proxy
 * (`proxyClientMaxBodySize` in next.config.ts) and cuts the rest silently, so the proxy (src/proxy.ts) refuses
 * anything larger with a 413; one value keeps the two in step. A registry upload is at most 50 MB, more once
 * JSON-escaped.
 */
export const MAX_BODY_MB = 100;
export const MAX_BODY_BYTES = MAX_BODY_MB * 1024 * 1024;
