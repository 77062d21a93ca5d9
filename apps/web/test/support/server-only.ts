// `server-only` throws when bundled for the browser; under vitest the server modules are imported directly.
export {};
