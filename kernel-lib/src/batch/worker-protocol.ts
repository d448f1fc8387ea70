/** What the local scheduler sends a worker: a recording to compute, or the end of its work. */
export type WorkerRequest = { readonly type: "run"; readonly index: number } | { readonly type: "exit" };

/** What a local worker process sends its parent (one reply per recording). */
export type WorkerReply =
  | { readonly type: "done"; readonly index: number; readonly unitCount: number; readonly sessionPath: string }
  | {
      readonly type: "failed";
      readonly index: number;
      readonly error: { readonly name: string; readonly message: string; readonly code: string | null; readonly stack: string };
    };
