/**
 * STAND-IN for the `addSectionTime` + `sectionSpikeTimes` steps (being written on branch `sections`), for the tests
 * of the steps that come after them. It does what those steps do with the same dsp functions — section times from
 * the playlist and movie lengths, trials from each movie's stimulus config, each unit's spikes cut into trials —
 * fills the session with the reference layout (§2.4) and marks both steps complete.
 *
 * LEAD: once the real steps land, replace each call of {@link sectionWithStandIn} by
 *   await addSectionTime({ session, playlistName, playlistPath, movieLengthPath });
 *   await sectionSpikeTimes({ session, configDir });
 * and delete this file.
 */
import * as fs from "fs";
import * as path from "path";
import { computeSectionTimes } from "../dsp/section-time";
import { planSectioning, sectionSpikeTrain } from "../dsp/trials";
import type { SessionMap } from "../hdf5/values";
import { readMovieLengthCsv, readPlaylistCsv } from "../io/stimulus-configs";
import type { PipelineSession } from "../session/session";

/** The stimulus files a simulated recording comes with. */
export interface StandInStimulusFiles {
  readonly playlistCsvPath: string;
  readonly movieLengthCsvPath: string;
  readonly configDir: string;
  readonly playlistName: string;
}

/** Sections the loaded `session` like addSectionTime + sectionSpikeTimes with default options would. */
export function sectionWithStandIn(options: { session: PipelineSession; files: StandInStimulusFiles }): PipelineSession {
  const { session, files } = options;
  const frameTimestamps = session.metadata.frame_timestamps as Float64Array;
  const movieNames = readPlaylistCsv({ csvPath: files.playlistCsvPath }).get(files.playlistName) ?? [];
  const sections = computeSectionTimes({
    movieNames,
    movieLengths: readMovieLengthCsv({ csvPath: files.movieLengthCsvPath }),
    frameTimestamps,
  });
  session.addStimulus({ section_time: Object.fromEntries(sections.sectionTime) });
  session.addMetadata({ section_time_playlist: files.playlistName, section_time_repeats: 1 });
  session.markStepComplete("add_section_time");

  const configs: Record<string, unknown> = {};
  for (const movie of sections.sectionTime.keys()) {
    const file = path.join(files.configDir, `${movie}.json`);
    if (fs.existsSync(file)) configs[movie] = JSON.parse(fs.readFileSync(file, "utf8"));
  }
  const plan = planSectioning({ sectionTime: sections.sectionTime, frameTimestamps, configs });
  const units: Record<string, SessionMap> = {};
  for (const [unitId, unit] of Object.entries(session.units)) {
    const sectioned: SessionMap = {};
    for (const [movie, boundaries] of plan.movies) {
      const train = sectionSpikeTrain({ spikeSamples: unit.spike_times as Float64Array, trialsStartEnd: boundaries.trialsStartEnd });
      sectioned[movie] = {
        full_spike_times: train.fullSpikeTimes,
        trials_spike_times: train.trialsSpikeTimes,
        trials_start_end: boundaries.trialsStartEnd,
        _attrs: { n_trials: boundaries.frames.length, pad_margin: [0, 0], pre_samples: 0, post_samples: 0 },
      };
    }
    units[unitId] = { spike_times_sectioned: sectioned };
  }
  session.addUnits(units);
  session.markStepComplete("section_spike_times");
  return session;
}
