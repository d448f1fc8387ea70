/**
 * STAND-IN for the sectioning steps `addSectionTime` + `sectionSpikeTimes` (issue 4, written on another branch),
 * for tests of steps that need `stimulus.section_time` and `units.<id>.spike_times_sectioned.<movie>` before those
 * steps exist. It builds the same layout (reference §2.4, §3.4, §3.6, pad margin 0) from a simulated recording's
 * playlist, movie lengths and stimulus configs with the dsp functions, and marks `add_section_time` and
 * `section_spike_times` complete.
 *
 * Once the real steps are merged, replace every call with
 *   await addSectionTime({ session, playlistName, playlistPath, movieLengthPath });
 *   await sectionSpikeTimes({ session, configDir, movieNames });
 * and delete this file.
 */
import * as fs from "fs";
import * as path from "path";
import { computeSectionTimes } from "../dsp/section-time";
import { planSectioning, sectionSpikeTrain } from "../dsp/trials";
import type { SessionMap } from "../hdf5/values";
import { readMovieLengthCsv, readPlaylistCsv } from "../io/stimulus-configs";
import type { PipelineSession } from "../session/session";
import type { SimulatedRecording } from "../simulate/simulate-recording";

/** Sections `movieNames` (default: every playlist movie) of a loaded simulated recording into trials. */
export function sectionMoviesStandIn(options: { session: PipelineSession; recording: SimulatedRecording; movieNames?: readonly string[] }): void {
  const { session, recording } = options;
  const frameTimestamps = session.metadata.frame_timestamps as Float64Array;
  const movies = readPlaylistCsv({ csvPath: recording.playlistCsvPath }).get(recording.playlistName) ?? [];
  const sections = computeSectionTimes({
    movieNames: movies,
    movieLengths: readMovieLengthCsv({ csvPath: recording.movieLengthCsvPath }),
    frameTimestamps,
  });
  const configs = new Map<string, unknown>();
  for (const movie of movies) {
    const file = path.join(recording.configDir, `${movie}.json`);
    if (fs.existsSync(file)) configs.set(movie, JSON.parse(fs.readFileSync(file, "utf8")) as unknown);
  }
  const plan = planSectioning({ sectionTime: sections.sectionTime, frameTimestamps, configs, movieNames: options.movieNames });

  const units: Record<string, SessionMap> = {};
  for (const [unitId, unit] of Object.entries(session.units)) {
    const sectioned: SessionMap = {};
    for (const [movie, trials] of plan.movies) {
      const train = sectionSpikeTrain({ spikeSamples: unit.spike_times as Float64Array, trialsStartEnd: trials.trialsStartEnd });
      sectioned[movie] = {
        full_spike_times: train.fullSpikeTimes,
        trials_spike_times: train.trialsSpikeTimes,
        trials_start_end: trials.trialsStartEnd,
        _attrs: { n_trials: trials.trialsStartEnd.shape[0], pad_margin: [0, 0], pre_samples: 0, post_samples: 0 },
      };
    }
    units[unitId] = { spike_times_sectioned: sectioned };
  }
  session.addStimulus({ section_time: Object.fromEntries(sections.sectionTime) });
  session.addUnits(units);
  session.markStepComplete("add_section_time").markStepComplete("section_spike_times");
}
