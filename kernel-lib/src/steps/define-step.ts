/**
 * `defineStep` (DESIGN §5): a step is a declaration — name, prerequisites, defaults, option checks and `run` — and
 * this helper supplies everything else once for every step:
 *
 *   check target → check options → check prerequisites → record "started" → run → record "completed" | "failed"
 *
 * in two calling forms made from the one `run`: `{ session }` mutates that session in memory and returns it;
 * `{ hdf5Path }` loads the file as a session, runs, and saves it back atomically, returning a result record.
 * `run` should compute everything it needs before its first `add*` call, so a failure leaves the session as it was.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigurationError } from "../errors";
import type { PipelineSession } from "../session/session";
import type { StepRecord } from "../session/step-records";
import { messages } from "./messages";

/** What a step's `run` receives. */
export interface StepContext<Options> {
  readonly session: PipelineSession;
  /** The caller's options merged over the declared defaults (without `session`/`hdf5Path`). */
  readonly options: Readonly<Options>;
  /** Records a recoverable problem in the session's warnings and in this step's record. */
  warn(message: string): void;
  /** Reports progress of long work (throttled by whoever displays it). */
  progress(done: number, total: number, label?: string): void;
  /**
   * Stops the step without an error, as the reference does for recoverable input problems ("warning + return"):
   * the message becomes a session warning, the run is recorded as failed with that reason, the step is not added
   * to `completedSteps`, and the call returns normally. Call it before the first `add*`.
   */
  skip(message: string): never;
}

/** Thrown by `StepContext.skip` and caught by `defineStep`; never reaches the caller. */
class StepSkipped extends Error {}

/** A prerequisite: at least one of the named steps must have completed. */
export interface Prerequisite {
  readonly anyOf: readonly string[];
  /** `"warn"`: add the reference's warning and skip the step; `"error"`: throw `ConfigurationError`. */
  readonly ifMissing: "warn" | "error";
  /** The text of the warning or error, saying what to run first. */
  readonly message: string;
}

/** The declaration of a step. */
export interface StepDefinition<Options extends object> {
  /** Name recorded in `completedSteps` and step records (reference §1.12), e.g. `"compute_sta"`. */
  readonly name: string;
  /** Steps that must have completed before this one. */
  readonly requires?: readonly Prerequisite[];
  /** Default values of the options; written once, here. */
  readonly defaults: Options;
  /** Checks the merged options before anything runs; throws `ConfigurationError` naming the parameter. */
  readonly validate?: (options: Readonly<Options>) => void;
  /**
   * For steps that create a recording's session (`loadRecording`): the session to start from in `hdf5Path` mode
   * when that file does not exist yet. Without it, a missing file is a `FileNotFoundError`.
   */
  readonly newSession?: (options: Readonly<Options>, hdf5Path: string) => PipelineSession;
  /** The science: reads the session, computes, then adds results to the session. */
  readonly run: (context: StepContext<Options>) => Promise<void> | void;
}

/** What a step returns in `hdf5Path` mode. */
export interface StepFileResult {
  readonly hdf5Path: string;
  readonly datasetId: string;
  readonly record: StepRecord;
  /** Warnings this run added. */
  readonly warnings: readonly string[];
}

/** A step function in both calling forms. */
export interface Step<Options extends object> {
  (options: Partial<Options> & { session: PipelineSession; hdf5Path?: undefined }): Promise<PipelineSession>;
  (options: Partial<Options> & { hdf5Path: string; session?: undefined }): Promise<StepFileResult>;
  /** The step's name as recorded in the session. */
  readonly stepName: string;
  /** The declared defaults. */
  readonly defaults: Readonly<Options>;
}

/** Declares a step; see the module comment for what the helper does around `run`. */
export function defineStep<Options extends object>(definition: StepDefinition<Options>): Step<Options> {
  const knownOptions = Object.keys(definition.defaults);

  async function runOn(session: PipelineSession, given: Partial<Options>): Promise<StepRecord> {
    for (const key of Object.keys(given)) {
      if (!knownOptions.includes(key)) throw new ConfigurationError(messages.unknownOption(definition.name, key, knownOptions));
    }
    const options = { ...definition.defaults, ...stripUndefined(given) } as Options;
    definition.validate?.(options);
    const missing = (definition.requires ?? []).find((p) => !p.anyOf.some((step) => session.completedSteps.has(step)));
    if (missing?.ifMissing === "error") {
      throw new ConfigurationError(messages.prerequisiteMissing(definition.name, missing.anyOf, missing.message));
    }
    const run = session.beginStep(definition.name, options as Record<string, unknown>);
    if (missing !== undefined) {
      return run.skip(messages.prerequisiteMissing(definition.name, missing.anyOf, missing.message), missing.message);
    }
    try {
      await definition.run({
        session,
        options,
        warn: (message) => run.warn(message),
        progress: (done, total, label) => session.reportProgress({ step: definition.name, done, total, label }),
        skip: (message) => {
          throw new StepSkipped(message);
        },
      });
    } catch (error) {
      if (error instanceof StepSkipped) return run.skip(error.message);
      run.fail(error);
      throw error;
    }
    return run.complete();
  }

  async function step(options: Partial<Options> & { session?: PipelineSession; hdf5Path?: string }): Promise<PipelineSession | StepFileResult> {
    const { session, hdf5Path, ...rest } = options ?? ({} as typeof options);
    if ((session === undefined) === (hdf5Path === undefined)) throw new ConfigurationError(messages.noTarget(definition.name));
    const given = rest as Partial<Options>;
    if (session !== undefined) {
      await runOn(session, given);
      return session;
    }
    // Imported lazily: session.ts must not depend on steps/, and steps in session mode never need the loader.
    const { PipelineSession } = await import("../session/session");
    const target = path.resolve(hdf5Path as string);
    const loaded =
      definition.newSession !== undefined && !fs.existsSync(target)
        ? definition.newSession({ ...definition.defaults, ...stripUndefined(given) } as Options, target)
        : await PipelineSession.load(target);
    const warningsBefore = loaded.warnings.length;
    const record = await runOn(loaded, given);
    await loaded.save(target, { overwrite: true, inPlace: true });
    return { hdf5Path: target, datasetId: loaded.datasetId, record, warnings: loaded.warnings.slice(warningsBefore) };
  }

  return Object.assign(step as Step<Options>, { stepName: definition.name, defaults: Object.freeze({ ...definition.defaults }) });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  return out;
}
