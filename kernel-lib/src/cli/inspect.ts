/** `hdmea inspect FILE`: a text summary of a .cmcr, .cmtr or session .h5 file. */
import * as fs from "fs";
import { DataLoadError, FileNotFoundError } from "../errors";
import { h5ErrorSummary } from "../hdf5/open-file";
import { readSessionFile } from "../hdf5/session-file";
import { readCmcrInfo } from "../io/cmcr-reader";
import { readCmtrUnits } from "../io/cmtr-reader";
import { closeQuietly, openHdf5 } from "../io/h5-read";
import { describeTree, formatBytes } from "./hdf5-tree";
import { messages } from "./messages";

/** Lines summarising `filePath`. Throws hdmea's typed errors for missing or unreadable files. */
export async function inspectFile(filePath: string): Promise<string[]> {
  checkIsFile(filePath);
  const lower = filePath.toLowerCase();
  let lines: string[];
  if (lower.endsWith(".cmcr")) lines = await inspectCmcr(filePath);
  else if (lower.endsWith(".cmtr")) lines = await inspectCmtr(filePath);
  else if (lower.endsWith(".h5") || lower.endsWith(".hdf5")) lines = await inspectSession(filePath);
  else throw new DataLoadError(filePath, messages.unknownFileKind(filePath));
  return [...lines, "", "HDF5 tree:", ...(await tree(filePath))];
}

/** Typed errors for a path that is missing, a folder, a symbolic link loop or no regular file. */
function checkIsFile(filePath: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new FileNotFoundError(filePath, messages.fileNotFound(filePath));
    if (code === "ELOOP") throw new DataLoadError(filePath, messages.symlinkLoop(filePath));
    throw new DataLoadError(filePath, messages.cannotAccess(filePath, code ?? String(error)), { cause: error });
  }
  if (stat.isDirectory()) throw new DataLoadError(filePath, messages.isDirectory(filePath));
  if (!stat.isFile()) throw new DataLoadError(filePath, messages.notAFile(filePath));
}

async function inspectCmcr(filePath: string): Promise<string[]> {
  const info = await readCmcrInfo({ cmcrPath: filePath });
  const lines = [`${filePath}  (MCS raw recording, ${formatBytes(fs.statSync(filePath).size)})`];
  const root = info.rootAttributes;
  lines.push(`  program: ${root.ProgramName ?? "?"} ${root.ProgramVersion ?? ""}   date: ${root.DateTime ?? "?"}`);
  const durationS = info.recordingDurationUs === null ? null : info.recordingDurationUs / 1e6;
  lines.push(`  recording duration: ${durationS === null ? "unknown (no LB.RecordingDuration)" : `${durationS} s`}`);
  if (info.sensor !== null) {
    const s = info.sensor;
    const r = s.region;
    lines.push(
      `  sensor data: ${s.shape[0]} samples × ${s.shape[1]} columns × ${s.shape[2]} rows (rows ${r.top}…${r.bottom}, columns ${r.left}…${r.right})` +
        `, ${s.samplingRateHz === null ? "rate unknown" : `${s.samplingRateHz} Hz (Tick ${s.tickUs} µs)`}`,
    );
  } else {
    lines.push("  sensor data: none");
  }
  if (info.analog !== null) {
    const a = info.analog;
    const labels = a.channels.map((c) => c.Label).filter((l) => l !== undefined);
    lines.push(`  analog data: ${a.channelCount} channels × ${a.sampleCount} samples${labels.length > 0 ? ` (${labels.join(", ")})` : ""}`);
    if (durationS !== null && durationS > 0) lines.push(`  acquisition rate (analog samples / duration): ${a.sampleCount / durationS} Hz`);
  } else {
    lines.push("  analog data: none (no light reference or frame sync)");
  }
  return lines;
}

async function inspectCmtr(filePath: string): Promise<string[]> {
  const contents = await readCmtrUnits({ cmtrPath: filePath, includeAllPeaks: true, includeCutouts: false, skipBadUnits: true });
  const lines = [`${filePath}  (MCS spike sorter results, ${formatBytes(fs.statSync(filePath).size)})`];
  const root = contents.rootAttributes;
  const durationUs = typeof root["LB.RecordingDuration"] === "number" ? root["LB.RecordingDuration"] : null;
  lines.push(`  program: ${root.ProgramName ?? "?"} ${root.ProgramVersion ?? ""}   date: ${root.DateTime ?? "?"}`);
  lines.push(`  recording duration: ${durationUs === null ? "unknown" : `${durationUs / 1e6} s`}`);
  const included = contents.units.map((u) => u.includedTimestampsUs.length);
  const total = included.reduce((a, b) => a + b, 0);
  lines.push(`  units: ${contents.units.length}, included spikes: ${total}${contents.skippedUnits.length > 0 ? `, unreadable units: ${contents.skippedUnits.map((s) => s.groupName).join(", ")}` : ""}`);
  for (const unit of contents.units.slice(0, 30)) {
    const all = unit.allPeaks?.timestampsUs.length ?? 0;
    const n = unit.includedTimestampsUs.length;
    const rate = durationUs !== null && durationUs > 0 ? ` ${(n / (durationUs / 1e6)).toFixed(2)} Hz` : "";
    const where = unit.unitInfo ?? unit.attributes;
    lines.push(`    Unit ${unit.unitNumber}: ${n} spikes (${all - n} excluded peaks)${rate}, sensor ${where.SensorID ?? "?"} (row ${where.Row ?? "?"}, column ${where.Column ?? "?"})`);
  }
  if (contents.units.length > 30) lines.push(`    … ${contents.units.length - 30} more units`);
  return lines;
}

async function inspectSession(filePath: string): Promise<string[]> {
  const { snapshot, layout } = await readSessionFile(filePath);
  const lines = [`${filePath}  (hdmea session file, ${layout} layout, ${formatBytes(fs.statSync(filePath).size)})`];
  lines.push(`  dataset id: ${snapshot.datasetId}   saved at: ${snapshot.savedAt ?? "?"}`);
  const rate = snapshot.metadata.acquisition_rate;
  lines.push(`  acquisition rate: ${typeof rate === "number" ? `${rate} Hz` : "unknown"}`);
  lines.push(`  units: ${Object.keys(snapshot.units).length}`);
  lines.push(`  metadata: ${Object.keys(snapshot.metadata).join(", ") || "(none)"}`);
  lines.push(`  stimulus: ${Object.keys(snapshot.stimulus).join(", ") || "(none)"}`);
  lines.push(`  completed steps: ${snapshot.completedSteps.join(", ") || "(none)"}`);
  lines.push(`  warnings: ${snapshot.warnings.length}`);
  return lines;
}

async function tree(filePath: string): Promise<string[]> {
  const file = await openHdf5(filePath);
  try {
    return describeTree(file, { maxDepth: 3, maxMembers: 12 });
  } catch (error) {
    throw new DataLoadError(filePath, messages.treeFailed(filePath, h5ErrorSummary(error)), { cause: error });
  } finally {
    closeQuietly(file);
  }
}
