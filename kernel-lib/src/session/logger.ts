/** Where a session reports what it does not record in `session.warnings` (e.g. "overwriting a file"). */
export interface Logger {
  warn(message: string): void;
  error(message: string): void;
}

/** Writes `[hdmea] WARNING …` lines to the process's stderr (a notebook shows them under the cell). */
export const consoleLogger: Logger = {
  warn: (message) => console.warn(`[hdmea] WARNING ${message}`),
  error: (message) => console.error(`[hdmea] ERROR ${message}`),
};

/** A logger that keeps every line, for tests and for callers that show logs their own way. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (message) => lines.push(`WARNING ${message}`),
    error: (message) => lines.push(`ERROR ${message}`),
  };
}
