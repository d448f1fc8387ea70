import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { NdArray } from "../hdf5/values";
import {
  computeTrialBoundaries,
  padMarginToSamples,
  parseSectionConfig,
  planSectioning,
  sectionSpikeTrain,
  SectionConfig,
  trialKeysInOrder,
} from "./trials";

const config = (startFrame: number, trialLengthFrame: number, repeat: number, groupCount = 1, groupGap = 0): SectionConfig => ({
  startFrame,
  trialLengthFrame,
  repeat,
  groupCount,
  groupGap,
});

describe("computeTrialBoundaries — §3.6 and A.10", () => {
  it("grouped example: F0 = 120, (120, 720, 3, 3 groups, gap 180)", () => {
    const ts = Float64Array.from({ length: 10000 }, (_, k) => 10 * k);
    const { frames, trialsStartEnd } = computeTrialBoundaries({
      sectionStartSample: ts[120],
      frameTimestamps: ts,
      config: config(120, 720, 3, 3, 180),
    });
    expect(frames).toEqual([
      [300, 1020], [1020, 1740], [1740, 2460],
      [2640, 3360], [3360, 4080], [4080, 4800],
      [4980, 5700], [5700, 6420], [6420, 7140],
    ]);
    expect(trialsStartEnd.shape).toEqual([9, 2]);
    expect(Array.from(trialsStartEnd.data.slice(0, 4))).toEqual([3000, 10200, 10200, 17400]);
  });

  it("A.10: F0 = 4000 with 5000 frames, (0, 600, 3) → (4060,4660), (4660,4999), (4999,4999)", () => {
    const ts = Float64Array.from({ length: 5000 }, (_, k) => 333 * k);
    const { frames, trialsStartEnd } = computeTrialBoundaries({
      sectionStartSample: ts[4000],
      frameTimestamps: ts,
      config: config(0, 600, 3),
    });
    expect(frames).toEqual([[4060, 4660], [4660, 4999], [4999, 4999]]);
    expect(Array.from(trialsStartEnd.data)).toEqual([4060 * 333, 4660 * 333, 4660 * 333, 4999 * 333, 4999 * 333, 4999 * 333]);
  });

  it("a section start between frame timestamps floors to the frame shown", () => {
    const ts = Float64Array.from({ length: 100 }, (_, k) => 100 * k);
    const { frames } = computeTrialBoundaries({ sectionStartSample: 1050, frameTimestamps: ts, config: config(0, 5, 1) });
    expect(frames).toEqual([[70, 75]]);
  });
});

describe("sectionSpikeTrain", () => {
  it("verified example: overlapping padded windows, unique full train", () => {
    const result = sectionSpikeTrain({
      spikeSamples: [5, 100, 150, 200, 250, 300],
      trialsStartEnd: [[100, 200], [150, 300]],
      preSamples: 60,
    });
    expect(Object.keys(result.trialsSpikeTimes)).toEqual(["0", "1"]);
    expect(Array.from(result.trialsSpikeTimes["0"])).toEqual([100, 150]);
    expect(Array.from(result.trialsSpikeTimes["1"])).toEqual([100, 150, 200, 250]);
    expect(Array.from(result.fullSpikeTimes)).toEqual([100, 150, 200, 250]);
  });

  it("half-open windows, padding clamped at sample 0, post padding, unsorted input", () => {
    const result = sectionSpikeTrain({
      spikeSamples: [320, 0, 10, 99, 100, 300, 310],
      trialsStartEnd: new NdArray(Float64Array.from([20, 100, 200, 300]), [2, 2]),
      preSamples: 50,
      postSamples: 15,
    });
    expect(Array.from(result.trialsSpikeTimes["0"])).toEqual([0, 10, 99, 100]);
    expect(Array.from(result.trialsSpikeTimes["1"])).toEqual([300, 310]);
    expect(result.trialsSpikeTimes["0"]).toBeInstanceOf(Float64Array);
  });

  it("an empty train gives empty trials and an empty full train", () => {
    const result = sectionSpikeTrain({ spikeSamples: [], trialsStartEnd: [[0, 10], [10, 20]] });
    expect(Object.values(result.trialsSpikeTimes).map((t) => t.length)).toEqual([0, 0]);
    expect(result.fullSpikeTimes.length).toBe(0);
  });

  it("keys iterate numerically past 10 trials (§9 #4)", () => {
    const trials = Array.from({ length: 12 }, (_, i) => [i * 10, i * 10 + 10] as [number, number]);
    const result = sectionSpikeTrain({ spikeSamples: [5, 115], trialsStartEnd: trials });
    expect(Object.keys(result.trialsSpikeTimes)).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(Array.from(result.trialsSpikeTimes["11"])).toEqual([115]);
    expect(trialKeysInOrder({ trials: new Map([["10", 1], ["2", 1], ["0", 1], ["1", 1]]) })).toEqual(["0", "1", "2", "10"]);
  });

  it("equals a brute-force filter on random trains (property)", () => {
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let run = 0; run < 20; run++) {
      const spikes = Array.from({ length: 200 }, () => next() % 5000);
      const trials = Array.from({ length: 7 }, () => {
        const start = next() % 4500;
        return [start, start + (next() % 600)] as [number, number];
      });
      const pre = next() % 100;
      const post = next() % 100;
      const result = sectionSpikeTrain({ spikeSamples: spikes, trialsStartEnd: trials, preSamples: pre, postSamples: post });
      const sorted = spikes.slice().sort((a, b) => a - b);
      trials.forEach(([start, end], i) => {
        const expected = sorted.filter((s) => s >= Math.max(0, start - pre) && s < end + post);
        expect(Array.from(result.trialsSpikeTimes[String(i)])).toEqual(expected);
      });
      const union = [...new Set(Object.values(result.trialsSpikeTimes).flatMap((t) => Array.from(t)))].sort((a, b) => a - b);
      expect(Array.from(result.fullSpikeTimes)).toEqual(union);
    }
  });
});

describe("parseSectionConfig", () => {
  it("reads section_kwargs with defaults for the group fields", () => {
    expect(parseSectionConfig({ movieName: "m", json: { section_kwargs: { start_frame: 240, trial_length_frame: 600, repeat: 30 } } }))
      .toEqual(config(240, 600, 30, 1, 0));
    expect(
      parseSectionConfig({
        movieName: "m",
        json: { name: "x", section_kwargs: { start_frame: 120, trial_length_frame: 720, repeat: 3, group_count: 3, group_gap: 180 } },
      }),
    ).toEqual(config(120, 720, 3, 3, 180));
  });

  it("rejects wrong types and ranges, naming the movie and the field", () => {
    const bad = [
      { section_kwargs: { start_frame: "0", trial_length_frame: 600, repeat: 3 } },
      { section_kwargs: { start_frame: 0.5, trial_length_frame: 600, repeat: 3 } },
      { section_kwargs: { start_frame: 0, trial_length_frame: 0, repeat: 3 } },
      { section_kwargs: { start_frame: 0, trial_length_frame: 600, repeat: 0 } },
      { section_kwargs: { start_frame: -1, trial_length_frame: 600, repeat: 1 } },
      { section_kwargs: { start_frame: 0, trial_length_frame: 600 } },
      { section_kwargs: { start_frame: 0, trial_length_frame: 600, repeat: 1, group_gap: -2 } },
      { section_kwargs: { start_frame: 0, trial_length_frame: 600, repeat: 1, group_count: true } },
      { no_kwargs: {} },
      [1, 2],
    ];
    for (const json of bad) {
      expect(() => parseSectionConfig({ movieName: "step_up", json })).toThrow(ConfigurationError);
      expect(() => parseSectionConfig({ movieName: "step_up", json })).toThrow(/Invalid config for 'step_up'/);
    }
    expect(() => parseSectionConfig({ movieName: "m", json: { section_kwargs: { start_frame: 0, trial_length_frame: 1.5, repeat: 1 } } }))
      .toThrow(/trial_length_frame must be int/);
  });
});

describe("planSectioning (§9 #14)", () => {
  const ts = Float64Array.from({ length: 5000 }, (_, k) => 333 * k);
  const sectionTime = {
    movie_a: new NdArray(Float64Array.from([39960, 300033, 1299699, 1559772]), [2, 2]),
    movie_b: new NdArray(Float64Array.from([359973, 819846]), [1, 2]),
    iprgc_test: new NdArray(Float64Array.from([1600000, 1660000]), [1, 2]),
    broken: new NdArray(Float64Array.from([0, 10]), [1, 2]),
    empty: new NdArray(new Float64Array(0), [0, 2]),
  };
  const configs = {
    movie_a: { section_kwargs: { start_frame: 0, trial_length_frame: 200, repeat: 3 } },
    movie_b: { section_kwargs: { start_frame: 30, trial_length_frame: 300, repeat: 2 } },
    broken: { section_kwargs: { start_frame: 0 } },
    empty: { section_kwargs: { start_frame: 0, trial_length_frame: 10, repeat: 1 } },
  };

  it("sections the movies that have a config from their first occurrence; skips the others on their own", () => {
    const plan = planSectioning({ sectionTime, frameTimestamps: ts, configs });
    expect([...plan.movies.keys()]).toEqual(["movie_a", "movie_b"]);
    expect(plan.movies.get("movie_a")!.frames).toEqual([[180, 380], [380, 580], [580, 780]]);
    expect(plan.movies.get("movie_b")!.frames).toEqual([[1171, 1471], [1471, 1771]]);
    expect(plan.skipped.map((s) => [s.movie, s.reason])).toEqual([
      ["iprgc_test", "missing-config"],
      ["broken", "invalid-config"],
      ["empty", "empty-section"],
    ]);
    expect(plan.skipped[0].message).toMatch(/iprgc_test\.json/);
  });

  it("movieNames filters, silently ignoring unknown names", () => {
    const plan = planSectioning({ sectionTime, frameTimestamps: ts, configs, movieNames: ["movie_b", "nope"] });
    expect([...plan.movies.keys()]).toEqual(["movie_b"]);
    expect(plan.skipped).toEqual([]);
  });
});

describe("padMarginToSamples", () => {
  it("truncates toward zero", () => {
    expect(padMarginToSamples({ padMarginS: [2.0, 0.00004], samplingRateHz: 20000 })).toEqual({ preSamples: 40000, postSamples: 0 });
    expect(padMarginToSamples({ padMarginS: [0.00009999, 0], samplingRateHz: 20000 })).toEqual({ preSamples: 1, postSamples: 0 });
    expect(() => padMarginToSamples({ padMarginS: [-1, 0], samplingRateHz: 20000 })).toThrow(ConfigurationError);
  });
});
