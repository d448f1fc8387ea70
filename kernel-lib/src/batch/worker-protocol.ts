/** Messages a local worker process sends its parent (one per recording). */
export type WorkerReply =
  | { readonly type: "done"; readonly index: number; readonly unitCount: number; readonly sessionPath: string }
  | {
      readonly type: "failed";
      readonly index: number;
      readonly error: { readonly name: string; readonly message: string; readonly code: unknown; readonly stack: string };
    };
