/**
 * The array task index of a cluster job, as the scheduler gives it: SLURM_ARRAY_TASK_ID, SGE_TASK_ID or
 * PBS_ARRAY_INDEX (the first one set). The value is used as given — no "minus one" — so 0-based arrays work; the
 * submit script passes an offset when one array covers a later part of the manifest. SGE sets "undefined" for a job
 * that is not an array, which counts as unset.
 */
import { BatchError } from "../errors";
import { batchMessages as messages } from "./messages";

/** Environment variables holding the task index, in the order they are consulted. */
export const ARRAY_INDEX_VARIABLES = ["SLURM_ARRAY_TASK_ID", "SGE_TASK_ID", "PBS_ARRAY_INDEX"] as const;

/** Where an array index came from, for messages. */
export interface ArrayIndex {
  readonly index: number;
  readonly source: string;
}

/** The task index from `env`, or null when no scheduler set one. Throws `BatchError` for a value that is not a number. */
export function arrayIndexFromEnv(env: Readonly<Record<string, string | undefined>>): ArrayIndex | null {
  for (const variable of ARRAY_INDEX_VARIABLES) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === "" || raw.trim().toLowerCase() === "undefined") continue;
    if (!/^\d+$/.test(raw.trim())) throw new BatchError(messages.badArrayIndex(variable, raw));
    return { index: Number(raw.trim()), source: `${variable}=${raw.trim()}` };
  }
  return null;
}
